//! How the binary is linked, for a short start-up (benches/README.md,
//! "Issue 23: start-up, second session"). Each check runs when build.rs
//! chose that way of linking (it says so with an environment variable at
//! compile time).

/// Whether `needle` occurs in the binary under test: the names of the
/// shared libraries it loads and of its sections are strings in the file.
fn binary_contains(needle: &[u8]) -> bool {
    let bin = std::fs::read(env!("CARGO_BIN_EXE_slacalc")).unwrap();
    bin.windows(needle.len()).any(|w| w == needle)
}

/// build.rs links libgcc's unwinder into the binary on Linux with glibc,
/// so the dynamic loader has no `libgcc_s.so.1` to find and map.
#[test]
fn the_binary_does_not_load_libgcc_s() {
    if option_env!("SLACALC_STATIC_UNWINDER").is_none() {
        return;
    }
    assert!(!binary_contains(b"libgcc_s"), "the binary names libgcc_s");
    // Still linked against the C library, so the check means something.
    assert!(binary_contains(b"libc.so.6"));
}

/// build.rs links with link/startup-order.ld, which gathers the functions a
/// `deadline` call runs in an output section of their own at the start of
/// the code; the linker drops that section when no pattern matches, so its
/// name in the binary shows the script was read and still names functions
/// of this code.
#[test]
fn the_start_up_code_is_laid_out_together() {
    if option_env!("SLACALC_STARTUP_ORDER").is_none() {
        return;
    }
    assert!(binary_contains(b".text.startup_order"), "no .text.startup_order section");
}
