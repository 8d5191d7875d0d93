//! The `armistice` binary: parse the command line, run the app, map errors to exit codes
//! (0 ok, 1 input error, 2 internal error, 130 cancelled).

use clap::Parser;

fn main() {
    let cli = armistice::cli::Cli::parse();
    std::process::exit(armistice::app::main(cli));
}
