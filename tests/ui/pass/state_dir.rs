//! `state_dir` moves phase state: the handler reports where its state file is,
//! which touches no file.

mod script {
    use dlpar_script::prelude::*;

    #[prerelease(cpu)]
    fn where_state_lives(_ev: &CpuEvent, cx: &mut Context) -> Result<()> {
        let path = cx.state().path()?;
        cx.emerg(&path.display().to_string());
        Ok(())
    }

    dlpar_script::main! {
        vendor: "Acme",
        info: "Acme keeps its state elsewhere",
        version: 1,
        date: "22112026",
        name: "acme_state",
        state_dir: "/var/lib/acme/dlpar",
        usage: { cpu: "Acme binds threads to processors" },
        handlers: [where_state_lives],
    }
}

fn main() -> std::process::ExitCode {
    if std::env::args().len() > 1 {
        return script::main();
    }
    let answer = dlpar_tests::rerun(&["prerelease", "cpu"], &[]);
    assert_eq!(answer, "exit: 0\nDR_LOG_EMERG=\"/var/lib/acme/dlpar/acme_state.remove.cpu.json\"\n");
    // DLPAR_STATE_DIR still comes first, as it does for the builder.
    let answer = dlpar_tests::rerun(&["prerelease", "cpu"], &[("DLPAR_STATE_DIR", "/srv/state")]);
    assert_eq!(answer, "exit: 0\nDR_LOG_EMERG=\"/srv/state/acme_state.remove.cpu.json\"\n");
    std::process::ExitCode::SUCCESS
}
