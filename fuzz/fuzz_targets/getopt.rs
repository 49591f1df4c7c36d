//! argv (NUL-separated words) against every tool's option table: the
//! getopt layer must never panic, and what it returns must agree with the
//! table (a flag has no value, a required value is present).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nsipc_cli::getopt::{Arg, Getopt, HasArg, Ordering, ToolSpec};
use nsipc_cli::tools;

fn check<T: Copy + PartialEq + std::fmt::Debug>(
    spec: &'static ToolSpec<T>,
    argv: &[std::ffi::OsString],
) {
    match Getopt::new(spec, argv.iter().cloned()).collect_all() {
        Ok(args) => {
            let mut programs = 0;
            for (i, arg) in args.iter().enumerate() {
                match arg {
                    Arg::Opt(id, value) => {
                        let opt = spec.options.iter().find(|o| o.id == *id).expect("known id");
                        match opt.arg {
                            HasArg::No => assert!(value.is_none(), "flag with a value"),
                            HasArg::Required => assert!(value.is_some(), "missing value"),
                            HasArg::Optional => {}
                        }
                    }
                    Arg::Operand(_) => assert_eq!(spec.ordering, Ordering::Permute),
                    Arg::Program(words) => {
                        assert_eq!(spec.ordering, Ordering::StopAtOperand);
                        assert!(!words.is_empty());
                        assert_eq!(i + 1, args.len(), "program is last");
                        programs += 1;
                    }
                }
            }
            assert!(programs <= 1);
        }
        Err(e) => {
            // glibc's text, naming the option as typed (newlines included).
            let text = e.to_string();
            assert!(!text.is_empty());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let argv = nsipc_fuzz::words(data);
    check(&tools::ipcs::SPEC, &argv);
    check(&tools::ipcmk::SPEC, &argv);
    check(&tools::ipcrm::SPEC, &argv);
    check(&tools::lsipc::SPEC, &argv);
    check(&tools::lsns::SPEC, &argv);
    check(&tools::nsenter::SPEC, &argv);
    check(&tools::unshare::SPEC, &argv);
});
