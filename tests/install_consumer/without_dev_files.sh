#!/bin/sh
# Runs COMMAND as on a machine with only the runtime packages of Abseil,
# protobuf and OpenSSL (Debian: libabsl20220623, libprotobuf32, libssl3): their
# headers, CMake files and pkg-config files are hidden. It needs a mount
# namespace of its own, so that nothing changes outside:
#
#   unshare --mount [--map-root-user] sh without_dev_files.sh SCRATCH COMMAND...
#
# An empty directory is bind-mounted over each header and CMake directory,
# and a copy of each pkg-config directory without their .pc files over it.
# (The unversioned libfoo.so links of the -dev packages stay: a bind mount
# over a symlink would cover the runtime library it points to. run.cmake
# checks instead that no absl, protobuf or crypto library is on the link line.)
set -eu
scratch=$1
shift
mkdir -p "$scratch/empty"

for dir in /usr/include/absl /usr/include/google/protobuf /usr/include/openssl \
           /usr/include/*/openssl /usr/lib/cmake/absl /usr/lib/*/cmake/absl \
           /usr/lib/cmake/protobuf /usr/lib/*/cmake/protobuf \
           /usr/local/include/absl /usr/local/include/google/protobuf \
           /usr/local/lib/cmake/absl /usr/local/lib/cmake/protobuf; do
  if [ -d "$dir" ]; then
    mount --bind "$scratch/empty" "$dir"
  fi
done

for dir in /usr/lib/pkgconfig /usr/lib/*/pkgconfig /usr/share/pkgconfig /usr/local/lib/pkgconfig; do
  [ -d "$dir" ] || continue
  copy="$scratch/pkgconfig$(echo "$dir" | tr / _)"
  mkdir -p "$copy"
  for pc in "$dir"/*.pc; do
    case "${pc##*/}" in
      absl_*.pc | protobuf*.pc | libcrypto.pc | libssl.pc | openssl.pc) ;;
      *) if [ -e "$pc" ]; then cp "$pc" "$copy/"; fi ;;
    esac
  done
  mount --bind "$copy" "$dir"
done

# Hidden indeed, or this run proves nothing.
for file in /usr/include/absl/status/status.h /usr/include/google/protobuf/message.h \
            /usr/include/openssl/sha.h; do
  if [ -e "$file" ]; then
    echo "without_dev_files.sh: $file is still visible" >&2
    exit 1
  fi
done
if pkg-config --exists absl_status || pkg-config --exists protobuf || pkg-config --exists libcrypto; then
  echo "without_dev_files.sh: pkg-config still finds absl_status, protobuf or libcrypto" >&2
  exit 1
fi
exec "$@"
