//! The real prompter: on the terminal with dialoguer's theme (prompts on stderr, so stdout
//! keeps the summary). Keys are read here rather than by dialoguer's prompts, which ignore
//! Ctrl-D. Ctrl-C restores the cursor and ends dpc with exit code 130, and so does Ctrl-D.

use super::prompter::{Interrupted, Prompter, Validator};
use dialoguer::console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, Theme};

pub(crate) struct Terminal {
    theme: ColorfulTheme,
}

/// Any failure to read the terminal (end of input, a closed terminal) ends the
/// questionnaire; nothing has been written at that point.
fn stop_io(_: std::io::Error) -> Interrupted {
    let _ = Term::stderr().show_cursor();
    Interrupted
}

impl Terminal {
    /// Installs the Ctrl-C handler (once per process) and returns the prompter.
    pub(crate) fn new() -> Self {
        // dialoguer reads keys in raw mode, where Ctrl-C raises SIGINT itself; between
        // prompts the terminal sends it. Either way: cursor back, nothing written, 130.
        let _ = ctrlc::set_handler(|| {
            let _ = dialoguer::console::Term::stderr().show_cursor();
            let _ = dialoguer::console::Term::stdout().show_cursor();
            eprintln!("\ninterrupted; nothing was written");
            std::process::exit(130);
        });
        Terminal {
            theme: ColorfulTheme::default(),
        }
    }
}

impl Terminal {
    /// A list read here (dialoguer's lists ignore Ctrl-D): up/down or k/j move, space
    /// toggles when `checked` is given, Enter accepts, Ctrl-D ends the questionnaire.
    /// Returns the cursor and the checked items.
    fn list(
        &self,
        prompt: &str,
        items: &[String],
        start: usize,
        mut checked: Option<Vec<bool>>,
    ) -> Result<(usize, Vec<bool>), Interrupted> {
        let term = Term::stderr();
        let n = items.len().max(1);
        let mut cursor = start.min(n - 1);
        if let Some(c) = checked.as_mut() {
            c.resize(items.len(), false);
        }
        let lines = |cursor: usize, checked: &Option<Vec<bool>>| {
            let mut out = Vec::with_capacity(items.len() + 1);
            let mut head = String::new();
            let _ = match checked {
                Some(_) => self.theme.format_multi_select_prompt(&mut head, prompt),
                None => self.theme.format_select_prompt(&mut head, prompt),
            };
            out.push(head);
            for (i, item) in items.iter().enumerate() {
                let mut line = String::new();
                let _ = match checked {
                    Some(c) => self.theme.format_multi_select_prompt_item(
                        &mut line,
                        item,
                        c[i],
                        i == cursor,
                    ),
                    None => self
                        .theme
                        .format_select_prompt_item(&mut line, item, i == cursor),
                };
                out.push(line);
            }
            out.join("\n")
        };
        let _ = term.hide_cursor();
        term.write_line(&lines(cursor, &checked)).map_err(stop_io)?;
        loop {
            match term.read_key().map_err(stop_io)? {
                Key::ArrowDown | Key::Tab | Key::Char('j') => cursor = (cursor + 1) % n,
                Key::ArrowUp | Key::BackTab | Key::Char('k') => cursor = (cursor + n - 1) % n,
                Key::Char(' ') if checked.is_some() => {
                    if let Some(c) = checked.as_mut().and_then(|c| c.get_mut(cursor)) {
                        *c = !*c;
                    }
                }
                Key::Enter => break,
                Key::Char('\u{4}') => {
                    let _ = term.show_cursor();
                    return Err(Interrupted);
                }
                _ => continue,
            }
            term.clear_last_lines(items.len() + 1).map_err(stop_io)?;
            term.write_line(&lines(cursor, &checked)).map_err(stop_io)?;
        }
        term.clear_last_lines(items.len() + 1).map_err(stop_io)?;
        let mut done = String::new();
        let _ = match &checked {
            Some(c) => {
                let chosen: Vec<&str> = items
                    .iter()
                    .zip(c)
                    .filter(|(_, on)| **on)
                    .map(|(i, _)| i.as_str())
                    .collect();
                self.theme
                    .format_multi_select_prompt_selection(&mut done, prompt, &chosen)
            }
            None => self.theme.format_select_prompt_selection(
                &mut done,
                prompt,
                items.get(cursor).map_or("", String::as_str),
            ),
        };
        term.write_line(&done).map_err(stop_io)?;
        let _ = term.show_cursor();
        Ok((cursor, checked.unwrap_or_default()))
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Self::new()
    }
}

impl Prompter for Terminal {
    fn input(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        validate: Validator,
    ) -> Result<String, Interrupted> {
        // Read here rather than by dialoguer's Input, which ignores Ctrl-D: at a text
        // prompt Ctrl-D is end of input, and ends the questionnaire (exit 130).
        let term = Term::stderr();
        loop {
            let mut head = String::new();
            let _ = self.theme.format_input_prompt(&mut head, prompt, default);
            term.write_str(&head).map_err(stop_io)?;
            let mut typed = String::new();
            loop {
                match term.read_key().map_err(stop_io)? {
                    Key::Enter => break,
                    Key::Backspace if typed.pop().is_some() => {
                        term.clear_chars(1).map_err(stop_io)?;
                    }
                    Key::Char('\u{4}') => {
                        let _ = term.write_line("");
                        return Err(Interrupted);
                    }
                    Key::Char(c) if !c.is_control() => {
                        typed.push(c);
                        term.write_str(c.encode_utf8(&mut [0; 4]))
                            .map_err(stop_io)?;
                    }
                    _ => {}
                }
            }
            term.clear_line().map_err(stop_io)?;
            let answer = if typed.is_empty() {
                default.unwrap_or_default().to_string()
            } else {
                typed
            };
            match validate(&answer) {
                Ok(()) => {
                    let mut done = String::new();
                    let _ = self
                        .theme
                        .format_input_prompt_selection(&mut done, prompt, &answer);
                    term.write_line(&done).map_err(stop_io)?;
                    return Ok(answer);
                }
                Err(message) => {
                    let mut shown = String::new();
                    let _ = self.theme.format_error(&mut shown, &message);
                    term.write_line(&shown).map_err(stop_io)?;
                }
            }
        }
    }

    fn select(
        &mut self,
        prompt: &str,
        items: &[String],
        default: usize,
    ) -> Result<usize, Interrupted> {
        let (cursor, _) = self.list(prompt, items, default, None)?;
        Ok(cursor)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, Interrupted> {
        let prompt = format!("{prompt} (space toggles, enter accepts)");
        let (_, checked) = self.list(&prompt, items, 0, Some(checked.to_vec()))?;
        Ok((0..items.len()).filter(|&i| checked[i]).collect())
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted> {
        // Read here for the same reason as `input`: Ctrl-D ends the questionnaire. `y` or
        // `n` chooses, Enter confirms (the default when nothing was chosen).
        let term = Term::stderr();
        let draw = |chosen: Option<bool>| -> Result<(), Interrupted> {
            let mut line = String::new();
            let _ = self
                .theme
                .format_confirm_prompt(&mut line, prompt, Some(default));
            match chosen {
                Some(true) => line.push('y'),
                Some(false) => line.push('n'),
                None => {}
            }
            term.clear_line().map_err(stop_io)?;
            term.write_str(&line).map_err(stop_io)
        };
        let mut chosen = None;
        draw(chosen)?;
        loop {
            match term.read_key().map_err(stop_io)? {
                Key::Enter => break,
                Key::Char('y' | 'Y') => chosen = Some(true),
                Key::Char('n' | 'N') => chosen = Some(false),
                Key::Backspace => chosen = None,
                Key::Char('\u{4}') => {
                    let _ = term.write_line("");
                    return Err(Interrupted);
                }
                _ => continue,
            }
            draw(chosen)?;
        }
        let answer = chosen.unwrap_or(default);
        let mut done = String::new();
        let _ = self
            .theme
            .format_confirm_prompt_selection(&mut done, prompt, Some(answer));
        term.clear_line().map_err(stop_io)?;
        term.write_line(&done).map_err(stop_io)?;
        Ok(answer)
    }

    fn say(&mut self, text: &str) {
        eprintln!("{text}");
    }
}
