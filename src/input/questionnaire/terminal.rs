//! The real prompter: dialoguer on the terminal (prompts on stderr, so stdout keeps the
//! summary). Ctrl-C restores the cursor and ends dpc with exit code 130.

use super::prompter::{Interrupted, Prompter, Validator};
use dialoguer::console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, Theme};
use dialoguer::{Confirm, MultiSelect, Select};

pub struct Terminal {
    theme: ColorfulTheme,
}

/// Any failure to read the terminal (Ctrl-C seen as a key, end of input, a closed
/// terminal) ends the questionnaire; nothing has been written at that point.
fn stop(_: dialoguer::Error) -> Interrupted {
    // A list hides the cursor while it is shown; give it back before dpc ends.
    let _ = dialoguer::console::Term::stderr().show_cursor();
    Interrupted
}

/// As [`stop`], for the terminal reads done here.
fn stop_io(_: std::io::Error) -> Interrupted {
    let _ = Term::stderr().show_cursor();
    Interrupted
}

impl Terminal {
    /// Installs the Ctrl-C handler (once per process) and returns the prompter.
    pub fn new() -> Self {
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
        Select::with_theme(&self.theme)
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact()
            .map_err(stop)
    }

    fn multi_select(
        &mut self,
        prompt: &str,
        items: &[String],
        checked: &[bool],
    ) -> Result<Vec<usize>, Interrupted> {
        MultiSelect::with_theme(&self.theme)
            .with_prompt(format!("{prompt} (space toggles, enter accepts)"))
            .items(items)
            .defaults(checked)
            .interact()
            .map_err(stop)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool, Interrupted> {
        Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default)
            .wait_for_newline(true)
            .interact()
            .map_err(stop)
    }

    fn say(&mut self, text: &str) {
        eprintln!("{text}");
    }
}
