# Shared by capi/abi/check_abi.sh and scripts/update_abi_baseline.sh: the one
# way the ABI of libcollabflow.so is read, so the baseline and the check agree.
#
# Only the exported interface counts: abidw reads the ELF dynamic symbol table
# (only cflow_*, see capi/libcollabflow.map) and the DWARF types reachable from
# those functions; types not defined in the public headers (the C++ behind
# the opaque handles) are dropped, so they stay opaque declarations. Paths,
# locations, compilation directories and DT_NEEDED are left out and type ids
# are hashes, so the same ABI gives the same file on any machine and rebuild.
#
#   abi_dump LIBRARY PUBLIC_HEADERS_DIR GENERATED_HEADERS_DIR OUT_FILE
abi_dump() {
  local source_root
  source_root="$(cd "$2/.." && pwd)"
  abidw --no-corpus-path --no-comp-dir-path --no-show-locs --no-elf-needed \
    --type-id-style hash --exported-interfaces-only --drop-private-types \
    --headers-dir "$2" --headers-dir "$3" --out-file "$4" "$1" || return 1
  # Translation units are named by absolute path; keep them relative to the
  # source tree.
  sed -i "s|path='$source_root/|path='|g" "$4"
}
