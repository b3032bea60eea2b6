//! The forms a handler and `main!` may take: `main!` before its handlers, handlers
//! in other modules (by path and through `use`), full paths and aliases in the
//! signature, other attributes on the handler, optional keys left out. The handler
//! stays an ordinary function that can be called directly.

mod script {
    use dlpar_script::prelude::*;

    // `main!` may come first; handlers are found by name wherever they are.
    dlpar_script::main! {
        vendor: "Acme",
        info: "Acme handler forms",
        version: 2,
        date: "01022026",
        usage: {
            cpu: "Acme binds threads to processors",
            mem: "Acme pins memory",
            capacity: "Acme sizes pools",
            var_weight: "Acme reports weight",
            phib: "Acme pauses",
        },
        handlers: [
            keep_cpu0,
            pools::on_capacity,
            self::pools::on_weight,
            crate::script::memory::shrink,
            pause,
            super::at_root,
        ],
    }

    /// An alias of the typed event works like the type itself.
    type Cpu = dlpar_script::event::CpuEvent;

    #[checkrelease(cpu)]
    #[inline]
    #[allow(clippy::needless_pass_by_ref_mut)]
    pub(crate) fn keep_cpu0(ev: &Cpu, _: &mut dlpar_script::Context) -> dlpar_script::Result<()> {
        match ev.bcpuid {
            Some(0) => Err(Error::refuse("CPU 0 runs the licence daemon")),
            _ => Ok(()),
        }
    }

    pub(crate) mod pools {
        use dlpar_script::prelude::*;

        #[postacquire(capacity)]
        pub(crate) fn on_capacity(_ev: &CapacityEvent, cx: &mut Context) -> Result<()> {
            cx.emerg(cx.script_name());
            Ok(())
        }

        #[postacquire(var_weight)]
        pub(crate) fn on_weight(_ev: &dlpar_script::event::WeightEvent, cx: &mut Context) -> Result<()> {
            cx.emerg(cx.handler_name());
            Ok(())
        }
    }

    pub(crate) mod memory {
        #[dlpar_script::prerelease(mem)]
        pub(crate) fn shrink(
            ev: &dlpar_script::event::MemEvent,
            cx: &mut dlpar_script::Context,
        ) -> dlpar_script::Result<()> {
            let mb = ev.request_mb.ok_or(dlpar_script::Error::missing("DR_MEM_SIZE_REQUEST"))?;
            cx.emerg(&format!("shrinking by {} MB", mb.get()));
            Ok(())
        }
    }

    mod hibernation {
        use dlpar_script::prelude::*;

        #[prehibernate]
        pub(crate) fn pause(_: &Event, _: &mut Context) -> Result<()> {
            Ok(())
        }
    }
    use hibernation::pause;

    /// The handler is still a plain function.
    pub(crate) fn call_directly() -> bool {
        let handler: fn(&Cpu, &mut Context) -> Result<()> = keep_cpu0;
        let _ = handler;
        true
    }
}

/// A handler outside the module of `main!`, named with `super::`.
#[dlpar_script::postrelease(cpu)]
fn at_root(_ev: &dlpar_script::event::CpuEvent, cx: &mut dlpar_script::Context) -> dlpar_script::Result<()> {
    cx.emerg("at_root");
    Ok(())
}

fn main() -> std::process::ExitCode {
    if std::env::args().len() > 1 {
        return script::main();
    }
    assert!(script::call_directly());
    let exe = std::env::current_exe().unwrap();
    let exe_name = exe.file_name().unwrap().to_string_lossy().into_owned();
    let answers = [
        (&["scriptinfo"][..], &[][..], "exit: 0\nDR_VERSION=2\nDR_DATE=01022026\nDR_SCRIPTINFO=\"Acme handler forms\"\nDR_VENDOR=\"Acme\"\n".to_owned()),
        (&["checkrelease", "cpu"], &[("DR_BCPUID", "0")], "exit: 1\nDR_ERROR=\"CPU 0 runs the licence daemon\"\n".to_owned()),
        (&["checkrelease", "cpu"], &[("DR_BCPUID", "1")], "exit: 0\n".to_owned()),
        // No `name` key: the script is named after the file it runs as.
        (&["postacquire", "capacity"], &[], format!("exit: 0\nDR_LOG_EMERG=\"{exe_name}\"\n")),
        (&["postacquire", "var_weight"], &[], "exit: 0\nDR_LOG_EMERG=\"on_weight\"\n".to_owned()),
        (&["prerelease", "mem"], &[("DR_MEM_SIZE_REQUEST", "256")], "exit: 0\nDR_LOG_EMERG=\"shrinking by 256 MB\"\n".to_owned()),
        (&["prerelease", "mem"], &[], "exit: 1\nDR_ERROR=\"DR_MEM_SIZE_REQUEST is not set\"\n".to_owned()),
        (&["prehibernate", "phib"], &[], "exit: 0\n".to_owned()),
        (&["checkrelease", "mem"], &[], "exit: 0\n".to_owned()),
        (&["postrelease", "cpu"], &[], "exit: 0\nDR_LOG_EMERG=\"at_root\"\n".to_owned()),
    ];
    for (args, env, expected) in answers {
        assert_eq!(dlpar_tests::rerun(args, env), expected, "{args:?}");
    }
    std::process::ExitCode::SUCCESS
}
