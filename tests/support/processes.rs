//! The provider processes a Terraform run started, found through /proc, so
//! that a test can kill them or watch them exit.

/// The parent pid of `pid`, from /proc.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after its ')' are fixed.
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(1)?.parse().ok()
}

/// The provider processes started by the process `ancestor`.
pub fn providers_under(ancestor: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| {
                exe.to_string_lossy()
                    .contains("terraform-provider-identitycenter")
            })
        })
        .filter(|pid| {
            let mut current = *pid;
            while let Some(parent) = parent_of(current) {
                if parent == ancestor {
                    return true;
                }
                if parent <= 1 {
                    break;
                }
                current = parent;
            }
            false
        })
        .collect()
}
