# Writes a C++ source defining `const char <SYMBOL>[]` (namespace
# collabflow::internal) holding the bytes of INPUT, for the calendars compiled
# into the library.
#   cmake -DINPUT=<file> -DOUTPUT=<file.cc> -DSYMBOL=<name> -P embed_textproto.cmake
file(READ "${INPUT}" content)
set(delimiter "cfcal")
string(FIND "${content}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${delimiter}\"")
endif()
get_filename_component(name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
  "// GENERATED from data/calendars/${name} by data/calendars/embed_textproto.cmake.\n"
  "#include \"calendar/calendar_embedded.h\"\n\n"
  "namespace collabflow::internal {\n\n"
  "const char ${SYMBOL}[] = R\"${delimiter}(${content})${delimiter}\";\n\n"
  "}  // namespace collabflow::internal\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
