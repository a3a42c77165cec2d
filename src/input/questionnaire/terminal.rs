//! The real prompter: dialoguer on the terminal (prompts on stderr, so stdout keeps the
//! summary). Ctrl-C restores the cursor and ends dpc with exit code 130.

use super::prompter::{Interrupted, Prompter, Validator};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

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
        let mut input = Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .allow_empty(true)
            .validate_with(|s: &String| validate(s));
        if let Some(d) = default {
            input = input.default(d.to_string());
        }
        input.interact_text().map_err(stop)
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
