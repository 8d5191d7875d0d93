//! The `armistice` binary: parse the command line, run the app, map errors to exit codes
//! (0 ok, 1 input error, 2 internal error, 130 cancelled).

mod app;
mod cli;

use clap::Parser;

fn main() {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version exit 0; a usage error is an input error (exit 1)
            let _ = e.print();
            std::process::exit(if e.use_stderr() { 1 } else { 0 });
        }
    };
    std::process::exit(app::main(cli));
}
