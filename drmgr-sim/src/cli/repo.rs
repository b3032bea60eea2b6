//! `install`, `uninstall`, `list`, `rebuild`: the repository subcommands, and the
//! one implementation of each that `drmgr -i`, `-u`, `-l` and `-b` use too.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use drmgr_sim::{InstallOptions, RepoError, Repository, Runner, ScriptEntry};
use serde_json::json;

use super::{Failure, Global};

#[derive(Debug, clap::Args)]
pub(super) struct InstallArgs {
    /// The script to install: any executable file.
    script: PathBuf,
    /// Time limit per command in minutes, overriding the script's DR_TIMEOUT.
    #[arg(short = 'w', value_name = "MINUTES", value_parser = clap::value_parser!(u32).range(1..))]
    minutes: Option<u32>,
    /// Replace an installed script of the same name.
    #[arg(short = 'f')]
    force: bool,
    /// Install for this host only: used when the host name matches.
    #[arg(short = 'D', value_name = "HOST")]
    host: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(super) struct UninstallArgs {
    /// The script's name.
    name: String,
    /// Uninstall the script installed for this host (as given to install -D).
    #[arg(short = 'D', value_name = "HOST")]
    host: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(super) struct ListArgs {
    /// Print one JSON document instead of the drmgr -l listing: root, hostname,
    /// info_file, and per script the fields of the information file plus path, active
    /// and time_limit {seconds, from: admin | script | default}.
    #[arg(long)]
    json: bool,
}

pub(super) fn install(global: &Global, args: &InstallArgs) -> Result<ExitCode, Failure> {
    let options = InstallOptions { admin_timeout: args.minutes, force: args.force, host: args.host.clone() };
    install_script(global, &args.script, &options)
}

/// Installs a script (`install`, `drmgr -i`). A name already installed without `-f`
/// is a warning, as IBM's drmgr page says, and installs nothing; the exit status is
/// then 1, so that a package or a playbook cannot take it for an install.
pub(super) fn install_script(global: &Global, script: &Path, options: &InstallOptions) -> Result<ExitCode, Failure> {
    let repo = global.repository()?;
    let installed = match repo.install(&global.runner(), script, options) {
        Err(clash @ RepoError::Clash { .. }) => {
            eprintln!("{}: warning: {clash}; nothing was installed", global.program());
            return Ok(ExitCode::FAILURE);
        }
        other => other?,
    };
    for warning in &installed.warnings {
        eprintln!("{}: warning: {warning}", global.program());
    }
    for old in &installed.replaced {
        println!("replaced {} ({})", old.name, old.location);
    }
    let entry = &installed.entry;
    println!("installed {} for {}: {}", repo.script_path(entry).display(), entry.location, entry.info);
    for (resource, usage) in &entry.resources {
        println!("  {resource}: {usage}");
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn uninstall(global: &Global, args: &UninstallArgs) -> Result<ExitCode, Failure> {
    uninstall_script(global, &args.name, args.host.as_deref())
}

/// Uninstalls a script (`uninstall`, `drmgr -u`).
pub(super) fn uninstall_script(global: &Global, name: &str, host: Option<&str>) -> Result<ExitCode, Failure> {
    let entry = global.repository()?.uninstall(name, host)?;
    println!("uninstalled {} ({})", entry.name, entry.location);
    Ok(ExitCode::SUCCESS)
}

/// Re-creates the information file (`rebuild`, `drmgr -b`).
pub(super) fn rebuild(global: &Global) -> Result<ExitCode, Failure> {
    let repo = global.repository()?;
    let rebuilt = repo.rebuild(&global.runner())?;
    let program = global.program();
    if let Some(problem) = &rebuilt.old_file_problem {
        eprintln!("{program}: warning: the old information file was not read ({problem}): -w overrides are lost");
    }
    for (path, reason) in &rebuilt.left_out {
        eprintln!("{program}: warning: left out {}: {reason}", path.display());
    }
    println!(
        "rebuilt {}: {} script(s) recorded, {} left out",
        repo.info_file().display(),
        rebuilt.recorded.len(),
        rebuilt.left_out.len()
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn list(global: &Global, args: &ListArgs) -> Result<ExitCode, Failure> {
    list_scripts(global, args.json)
}

/// Lists the installed scripts (`list`, `drmgr -l`), or with `json` one document.
pub(super) fn list_scripts(global: &Global, json: bool) -> Result<ExitCode, Failure> {
    let repo = global.repository()?;
    let scripts = repo.scripts()?;
    if json {
        let runner = global.runner();
        let scripts: Vec<_> = scripts.iter().map(|e| entry_json(&repo, e, &runner)).collect();
        let doc = json!({
            "root": repo.root(),
            "hostname": repo.hostname(),
            "info_file": repo.info_file(),
            "scripts": scripts,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print!("{}", listing(&repo, &scripts, global.syslog_id()?.as_deref(), &global.runner()));
    }
    Ok(ExitCode::SUCCESS)
}

const RULE: &str = "------------------------------------------------------------";

/// The drmgr -l style listing.
fn listing(repo: &Repository, scripts: &[ScriptEntry], syslog_id: Option<&str>, runner: &Runner) -> String {
    let mut out = format!("DR Install Root Directory: {}\n", repo.root().display());
    out += &format!("Host Name: {}\n", repo.hostname());
    if let Some(id) = syslog_id {
        out += &format!("Syslog ID: {id}\n");
    }
    if scripts.is_empty() {
        out += "\nNo DLPAR scripts installed.\n";
        return out;
    }
    out += &format!("\n{RULE}\n");
    for entry in scripts {
        out += &format!("{} {}\n", repo.script_path(entry).display(), entry.info);
        if !entry.location.applies_to(repo.hostname()) {
            out += &format!("Installed for {}: not run on this host\n", entry.location);
        }
        out += &format!("Vendor: {}, Version: {}, Date: {}\n", entry.vendor, entry.version, entry.date);
        out += &format!("{}\n", time_limits(entry, runner));
        out += "Resources Supported:\n";
        for (resource, usage) in &entry.resources {
            out += &format!("  Resource Name: {resource}  Resource Usage: {usage}\n");
        }
        out += &format!("{RULE}\n");
    }
    out
}

/// Where the time limit of a script's commands comes from (`Runner::time_limit`'s order).
fn limit_source(entry: &ScriptEntry) -> &'static str {
    match (entry.admin_timeout, entry.timeout) {
        (Some(_), _) => "admin",
        (None, Some(_)) => "script",
        (None, None) => "default",
    }
}

/// `Script Timeout: 30 s (applied), Admin Override Timeout: none`: both limits with
/// their units, and which one applies.
fn time_limits(entry: &ScriptEntry, runner: &Runner) -> String {
    let script = entry.timeout.map_or_else(|| "none".to_owned(), |s| format!("{s} s"));
    let admin = entry.admin_timeout.map_or_else(|| "none".to_owned(), |m| format!("{m} min"));
    match limit_source(entry) {
        "admin" => format!("Script Timeout: {script}, Admin Override Timeout: {admin} (applied)"),
        "script" => format!("Script Timeout: {script} (applied), Admin Override Timeout: {admin}"),
        _ => format!(
            "Script Timeout: none, Admin Override Timeout: none (the default, {} s, applies)",
            runner.time_limit(None, None).as_secs()
        ),
    }
}

fn entry_json(repo: &Repository, entry: &ScriptEntry, runner: &Runner) -> serde_json::Value {
    let resources: Vec<_> =
        entry.resources.iter().map(|(r, usage)| json!({ "name": r.as_str(), "usage": usage })).collect();
    json!({
        "name": entry.name,
        "host": entry.location.host(),
        "path": repo.script_path(entry),
        "active": entry.location.applies_to(repo.hostname()),
        "vendor": entry.vendor,
        "info": entry.info,
        "version": entry.version,
        "date": entry.date,
        "timeout": entry.timeout,
        "admin_timeout": entry.admin_timeout,
        "time_limit": {
            "seconds": runner.time_limit(entry.timeout, entry.admin_timeout).as_secs(),
            "from": limit_source(entry),
        },
        "resources": resources,
    })
}
