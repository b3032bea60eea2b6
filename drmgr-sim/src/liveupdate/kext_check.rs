//! The safe kernel-extension check that starts a Live Update.

use dlpar_liveupdate::{KextPath, SafeKext};

/// How the check was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckMode {
    /// A real Live Update: entries added with `-p` do not count.
    Enforced,
    /// The preview (`geninstall -k -p`): entries added with `-p` count.
    Preview,
    /// `kext_check = no` in `lvupdate.data`: nothing is refused.
    Bypassed,
}

impl CheckMode {
    /// `enforced`, `preview` or `bypassed`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckMode::Enforced => "enforced",
            CheckMode::Preview => "preview",
            CheckMode::Bypassed => "bypassed",
        }
    }
}

/// Why a loaded kernel extension is, or is not, safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Loaded through `sysconfig()` with `SYS_LUSAFE` (`--lusafe`).
    SysLusafe,
    /// On the safe list.
    Listed,
    /// On the safe list with `-p`, and this is the preview.
    ListedForPreview,
    /// On the safe list with `-p` only, and this is the real Live Update: not safe.
    PreviewOnly,
    /// Neither listed nor marked: not safe.
    NotListed,
}

impl Safety {
    /// Whether the kernel extension lets the Live Update go on.
    pub fn is_safe(self) -> bool {
        !matches!(self, Safety::PreviewOnly | Safety::NotListed)
    }

    /// `sys_lusafe`, `listed`, `listed_for_preview`, `preview_only`, `not_listed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::SysLusafe => "sys_lusafe",
            Safety::Listed => "listed",
            Safety::ListedForPreview => "listed_for_preview",
            Safety::PreviewOnly => "preview_only",
            Safety::NotListed => "not_listed",
        }
    }

    /// The reason in words.
    pub fn describe(self) -> &'static str {
        match self {
            Safety::SysLusafe => "safe: loaded with SYS_LUSAFE",
            Safety::Listed => "safe: on the safe list",
            Safety::ListedForPreview => "safe for the preview: on the safe list with -p",
            Safety::PreviewOnly => "NOT SAFE: on the safe list with -p, which counts for the preview only",
            Safety::NotListed => "NOT SAFE: not on the safe list and not loaded with SYS_LUSAFE",
        }
    }
}

/// The result of the check: each loaded kernel extension and its verdict, in the
/// order given (a kernel extension given twice counts once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KextCheck {
    /// How the check was made.
    pub mode: CheckMode,
    /// The loaded kernel extensions and why each is (not) safe.
    pub kexts: Vec<(KextPath, Safety)>,
}

impl KextCheck {
    /// Judges `loaded` (with `SYS_LUSAFE` for those also in `lusafe`) against the list.
    pub(super) fn run(mode: CheckMode, loaded: &[KextPath], lusafe: &[KextPath], list: &[SafeKext]) -> KextCheck {
        let mut kexts: Vec<(KextPath, Safety)> = Vec::new();
        for kext in loaded.iter().chain(lusafe) {
            if kexts.iter().any(|(k, _)| k == kext) {
                continue;
            }
            let entry = list.iter().find(|e| &e.path == kext);
            let safety = match (lusafe.contains(kext), entry) {
                (true, _) => Safety::SysLusafe,
                (false, Some(e)) if e.counts_for_live_update() => Safety::Listed,
                (false, Some(_)) if mode == CheckMode::Preview => Safety::ListedForPreview,
                (false, Some(_)) => Safety::PreviewOnly,
                (false, None) => Safety::NotListed,
            };
            kexts.push((kext.clone(), safety));
        }
        KextCheck { mode, kexts }
    }

    /// The kernel extensions that stop the Live Update (none when bypassed).
    pub fn blocking(&self) -> impl Iterator<Item = &KextPath> {
        let enforced = self.mode != CheckMode::Bypassed;
        self.kexts.iter().filter(move |(_, s)| enforced && !s.is_safe()).map(|(k, _)| k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> KextPath {
        p.parse().unwrap()
    }

    #[test]
    fn verdicts_follow_the_list_the_flag_and_the_mode() {
        let list = [SafeKext::new(path("/usr/a")), SafeKext::preview_only(path("/usr/p"))];
        let loaded = [path("/usr/a"), path("/usr/p"), path("/usr/x"), path("/usr/a")];
        let lusafe = [path("/usr/x"), path("/usr/y")];
        let verdicts = |mode| {
            let check = KextCheck::run(mode, &loaded, &lusafe, &list);
            let blocking: Vec<String> = check.blocking().map(|k| k.to_string()).collect();
            (check.kexts.into_iter().map(|(k, s)| format!("{k} {}", s.as_str())).collect::<Vec<_>>(), blocking)
        };
        let (enforced, blocking) = verdicts(CheckMode::Enforced);
        assert_eq!(enforced, ["/usr/a listed", "/usr/p preview_only", "/usr/x sys_lusafe", "/usr/y sys_lusafe"]);
        assert_eq!(blocking, ["/usr/p"]);
        let (preview, blocking) = verdicts(CheckMode::Preview);
        assert_eq!(preview[1], "/usr/p listed_for_preview");
        assert!(blocking.is_empty());
        let (_, blocking) = verdicts(CheckMode::Bypassed);
        assert!(blocking.is_empty());
        let none = KextCheck::run(CheckMode::Enforced, &[path("/opt/z")], &[], &[]);
        assert_eq!(none.blocking().collect::<Vec<_>>(), [&path("/opt/z")]);
    }
}
