//! Every handler attribute, in every form of its argument, answering as a real process.

mod script {
    use dlpar_script::prelude::*;

    /// Answers with the handler's name, so the checks see which handler ran.
    fn say(cx: &mut Context) -> Result<()> {
        cx.emerg(cx.handler_name());
        Ok(())
    }

    #[checkrelease(cpu)]
    fn on_checkrelease(ev: &CpuEvent, cx: &mut Context) -> Result<()> {
        cx.emerg(&format!("on_checkrelease bcpuid={:?}", ev.bcpuid));
        Ok(())
    }

    #[prerelease(mem)]
    fn on_prerelease(ev: &MemEvent, cx: &mut Context) -> Result<()> {
        cx.emerg(&format!("on_prerelease request={:?}", ev.request_mb.map(|mb| mb.get())));
        Ok(())
    }

    #[postrelease(capacity)]
    fn on_postrelease(_ev: &CapacityEvent, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[undoprerelease(var_weight)]
    fn on_undoprerelease(_ev: &WeightEvent, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[checkacquire(cpu, mem)]
    fn on_checkacquire(ev: &Event, cx: &mut Context) -> Result<()> {
        match ev {
            Event::Cpu(_) => cx.emerg("on_checkacquire cpu"),
            Event::Mem(_) => cx.emerg("on_checkacquire mem"),
            _ => cx.emerg("on_checkacquire other"),
        }
        Ok(())
    }

    #[preacquire("acme_gpu")]
    fn on_preacquire(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[postacquire("3d_accel")]
    fn on_postacquire(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[undopreacquire(cpu,)]
    fn on_undopreacquire(_ev: &CpuEvent, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[checkmigrate]
    fn on_checkmigrate(_ev: &Event, cx: &mut Context) -> Result<()> {
        Err(Error::refuse(format!("{} refuses", cx.handler_name())))
    }

    #[premigrate(pmig)]
    fn on_premigrate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[postmigrate]
    fn on_postmigrate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[undopremigrate]
    fn on_undopremigrate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[checkhibernate]
    fn on_checkhibernate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[prehibernate]
    fn on_prehibernate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[posthibernate]
    fn on_posthibernate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[undohibernate]
    fn on_undohibernate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[preaccevent]
    fn on_preaccevent(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[postaccevent(acc, "acme_gpu")]
    fn on_postaccevent(ev: &Event, cx: &mut Context) -> Result<()> {
        let resource = ev.resource().map(|r| r.to_string()).unwrap_or_default();
        cx.emerg(&format!("on_postaccevent {resource}"));
        Ok(())
    }

    #[undopreaccevent]
    fn on_undopreaccevent(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[pretopologyupdate]
    fn on_pretopologyupdate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    #[posttopologyupdate]
    fn on_posttopologyupdate(_ev: &Event, cx: &mut Context) -> Result<()> {
        say(cx)
    }

    dlpar_script::main! {
        vendor: "Acme",
        info: "Acme answers every command",
        version: 7,
        date: "22112026",
        timeout: 30,
        name: "acme_every",
        usage: {
            cpu: "Acme binds threads to processors",
            mem: "Acme pins its buffer pool",
            capacity: "Acme sizes its pools by entitlement",
            var_weight: "Acme reports its weight",
            "acme_gpu": "Acme drives its GPU",
            "3d_accel": "Acme renders",
            pmig: "Acme pauses during migration",
            phib: "Acme pauses during hibernation",
            acc: "Acme follows accelerator events",
            topology: "Acme rebinds after topology changes",
        },
        handlers: [
            on_checkrelease, on_prerelease, on_postrelease, on_undoprerelease,
            on_checkacquire, on_preacquire, on_postacquire, on_undopreacquire,
            on_checkmigrate, on_premigrate, on_postmigrate, on_undopremigrate,
            on_checkhibernate, on_prehibernate, on_posthibernate, on_undohibernate,
            on_preaccevent, on_postaccevent, on_undopreaccevent,
            on_pretopologyupdate, on_posttopologyupdate,
        ],
    }
}

fn main() -> std::process::ExitCode {
    if std::env::args().len() > 1 {
        return script::main();
    }
    let answers = [
        (&["scriptinfo"][..], &[][..], "exit: 0\nDR_VERSION=7\nDR_DATE=22112026\nDR_SCRIPTINFO=\"Acme answers every command\"\nDR_VENDOR=\"Acme\"\nDR_TIMEOUT=30\n"),
        (&["register"], &[], "exit: 0\nDR_RESOURCE=cpu\nDR_RESOURCE=mem\nDR_RESOURCE=capacity\nDR_RESOURCE=var_weight\nDR_RESOURCE=acme_gpu\nDR_RESOURCE=3d_accel\nDR_RESOURCE=pmig\nDR_RESOURCE=phib\nDR_RESOURCE=acc\nDR_RESOURCE=topology\n"),
        (&["usage", "3d_accel"], &[], "exit: 0\nDR_USAGE=\"Acme renders\"\n"),
        (&["checkrelease", "cpu"], &[("DR_BCPUID", "3")], "exit: 0\nDR_LOG_EMERG=\"on_checkrelease bcpuid=Some(3)\"\n"),
        (&["prerelease", "mem"], &[("DR_MEM_SIZE_REQUEST", "512")], "exit: 0\nDR_LOG_EMERG=\"on_prerelease request=Some(512)\"\n"),
        (&["postrelease", "capacity"], &[], "exit: 0\nDR_LOG_EMERG=\"on_postrelease\"\n"),
        (&["undoprerelease", "var_weight"], &[], "exit: 0\nDR_LOG_EMERG=\"on_undoprerelease\"\n"),
        (&["checkacquire", "cpu"], &[], "exit: 0\nDR_LOG_EMERG=\"on_checkacquire cpu\"\n"),
        (&["checkacquire", "mem"], &[], "exit: 0\nDR_LOG_EMERG=\"on_checkacquire mem\"\n"),
        (&["checkacquire", "acme_gpu"], &[], "exit: 0\n"),
        (&["preacquire", "acme_gpu"], &[], "exit: 0\nDR_LOG_EMERG=\"on_preacquire\"\n"),
        (&["postacquire", "3d_accel"], &[], "exit: 0\nDR_LOG_EMERG=\"on_postacquire\"\n"),
        (&["undopreacquire", "cpu"], &[], "exit: 0\nDR_LOG_EMERG=\"on_undopreacquire\"\n"),
        (&["checkmigrate"], &[], "exit: 1\nDR_ERROR=\"on_checkmigrate refuses\"\n"),
        (&["checkmigrate", "pmig"], &[], "exit: 1\nDR_ERROR=\"on_checkmigrate refuses\"\n"),
        (&["premigrate", "pmig"], &[], "exit: 0\nDR_LOG_EMERG=\"on_premigrate\"\n"),
        (&["premigrate"], &[], "exit: 0\n"),
        (&["postmigrate", "lpm"], &[], "exit: 0\nDR_LOG_EMERG=\"on_postmigrate\"\n"),
        (&["undopremigrate", "pmig"], &[], "exit: 0\nDR_LOG_EMERG=\"on_undopremigrate\"\n"),
        (&["checkhibernate", "phib"], &[], "exit: 0\nDR_LOG_EMERG=\"on_checkhibernate\"\n"),
        (&["prehibernate"], &[], "exit: 0\nDR_LOG_EMERG=\"on_prehibernate\"\n"),
        (&["posthibernate", "phib"], &[], "exit: 0\nDR_LOG_EMERG=\"on_posthibernate\"\n"),
        (&["undoprehibernate", "phib"], &[], "exit: 0\nDR_LOG_EMERG=\"on_undohibernate\"\n"),
        (&["preaccevent", "acc"], &[], "exit: 0\nDR_LOG_EMERG=\"on_preaccevent\"\n"),
        (&["postaccevent", "acme_gpu"], &[], "exit: 0\nDR_LOG_EMERG=\"on_postaccevent acme_gpu\"\n"),
        (&["undoaccevent", "acc"], &[], "exit: 0\nDR_LOG_EMERG=\"on_undopreaccevent\"\n"),
        (&["pretopologyupdate", "topology"], &[], "exit: 0\nDR_LOG_EMERG=\"on_pretopologyupdate\"\n"),
        (&["posttopologyupdate"], &[], "exit: 0\nDR_LOG_EMERG=\"on_posttopologyupdate\"\n"),
    ];
    for (args, env, expected) in answers {
        assert_eq!(dlpar_tests::rerun(args, env), expected, "{args:?}");
    }
    std::process::ExitCode::SUCCESS
}
