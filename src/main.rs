//! The `irsite` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use irsite::site::{self, Options, Summary};

#[derive(Parser)]
#[command(
    name = "irsite",
    version,
    about = "Build investor-relations sites from Markdown and TOML"
)]
struct Cli {
    /// The site's root folder, where site.toml is.
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check everything and write the site to its output directory.
    Build {
        /// Where to write the site (default: site.toml's output_dir, "public").
        #[arg(long, short = 'o', value_name = "DIR")]
        output_dir: Option<PathBuf>,
        /// The absolute URL the site is served from (default: site.toml's base_url).
        #[arg(long, short = 'u', value_name = "URL")]
        base_url: Option<String>,
        /// Replace a non-empty output directory that irsite did not create.
        #[arg(long)]
        force: bool,
    },
    /// Check content, tables, charts and templates without writing anything.
    Check {
        /// The absolute URL the site is served from (default: site.toml's base_url).
        #[arg(long, short = 'u', value_name = "URL")]
        base_url: Option<String>,
    },
}

fn report(summary: &Summary) -> String {
    format!(
        "{} release{}, {} tables, {} figures, {} files ({} bytes)",
        summary.releases,
        if summary.releases == 1 { "" } else { "s" },
        summary.tables,
        summary.figures,
        summary.files,
        summary.bytes
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            output_dir,
            base_url,
            force,
        } => site::build(&Options {
            root: cli.root,
            output_dir,
            base_url,
            force,
        })
        .map(|s| {
            let dir = s.output_dir.as_ref().map(|d| d.display().to_string());
            format!("built {} into {}", report(&s), dir.unwrap_or_default())
        }),
        Command::Check { base_url } => site::check(&Options {
            root: cli.root,
            base_url,
            ..Options::default()
        })
        .map(|s| format!("checked {}: no problems found", report(&s))),
    };
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
