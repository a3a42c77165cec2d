//! The questions the questionnaire can ask, as a small trait: the terminal answers them
//! through dialoguer, tests answer them from a script.

/// The person stopped the questionnaire: Ctrl-C, or the end of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Interrupted;

/// Checks a typed answer; `Err` holds the message to show before asking again.
pub(crate) type Validator<'a> = &'a dyn Fn(&str) -> Result<(), String>;

pub(crate) trait Prompter {
    /// One line of text. Enter alone gives `default` when there is one, else the empty
    /// string. An answer `validate` refuses is shown with its message and asked again.
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        validate: Validator,
    ) -> Result<String, Interrupted>;

    /// One of `items`; the index of the chosen one.
    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, Interrupted>;

    /// Any of `items`, starting from `checked`; the indexes chosen.
    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, Interrupted>;

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted>;

    /// Text to read before the next question (what the levels mean, the review).
    fn say(&mut self, text: &str);
}

/// A prompter that answers from a script, for tests: each answer is the text typed
/// (`""` is Enter), a choice's index, or a confirmation. Refused inputs are recorded and
/// the next scripted answer is taken, as a person would type again.
#[cfg(test)]
pub(crate) mod script {
    use super::*;
    use std::collections::VecDeque;

    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Answer {
        Text(&'static str),
        Choose(usize),
        Choices(Vec<usize>),
        Yes(bool),
        /// Ctrl-C.
        Stop,
    }

    #[derive(Default)]
    pub(crate) struct Script {
        pub answers: VecDeque<Answer>,
        /// Every prompt asked, in order.
        pub asked: Vec<String>,
        /// Every message an input was refused with.
        pub refused: Vec<String>,
        pub said: Vec<String>,
    }

    impl Script {
        pub(crate) fn new(answers: Vec<Answer>) -> Self {
            Script {
                answers: answers.into(),
                ..Script::default()
            }
        }

        fn next(&mut self, prompt: &str) -> Result<Answer, Interrupted> {
            self.asked.push(prompt.to_string());
            match self.answers.pop_front() {
                Some(Answer::Stop) | None => Err(Interrupted),
                Some(a) => Ok(a),
            }
        }
    }

    impl Prompter for Script {
        fn input(
            &mut self,
            prompt: &str,
            default: Option<&str>,
            validate: Validator,
        ) -> Result<String, Interrupted> {
            loop {
                let typed = match self.next(prompt)? {
                    Answer::Text(t) => t.to_string(),
                    other => panic!("{prompt}: expected text, script has {other:?}"),
                };
                let value = match (typed.is_empty(), default) {
                    (true, Some(d)) => d.to_string(),
                    _ => typed,
                };
                match validate(&value) {
                    Ok(()) => return Ok(value),
                    Err(m) => self.refused.push(m),
                }
            }
        }

        fn select(
            &mut self,
            prompt: &str,
            items: &[String],
            default: usize,
        ) -> Result<usize, Interrupted> {
            match self.next(prompt)? {
                Answer::Choose(i) => {
                    assert!(i < items.len(), "{prompt}: no item {i} in {items:?}");
                    Ok(i)
                }
                Answer::Text("") => Ok(default),
                other => panic!("{prompt}: expected a choice, script has {other:?}"),
            }
        }

        fn multi_select(
            &mut self,
            prompt: &str,
            _items: &[String],
            checked: &[bool],
        ) -> Result<Vec<usize>, Interrupted> {
            match self.next(prompt)? {
                Answer::Choices(c) => Ok(c),
                Answer::Text("") => Ok((0..checked.len()).filter(|&i| checked[i]).collect()),
                other => panic!("{prompt}: expected choices, script has {other:?}"),
            }
        }

        fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted> {
            match self.next(prompt)? {
                Answer::Yes(b) => Ok(b),
                Answer::Text("") => Ok(default),
                other => panic!("{prompt}: expected yes or no, script has {other:?}"),
            }
        }

        fn say(&mut self, text: &str) {
            self.said.push(text.to_string());
        }
    }
}
