# rport_add_plugin(<target> SOURCES <files...> [OUTPUT_NAME <name>])
#
# Builds a loadable rportd plugin: a MODULE library that sees only the SDK,
# exports only rport_plugin_entry_v1, and resolves every symbol at link time so
# a missing dependency fails the build instead of the first call.
# Used by the in-tree plugins and, after install, by third-party plugins.
set(RPORT_PLUGIN_EXPORT_MAP "${CMAKE_CURRENT_LIST_DIR}/rport-plugin.map" CACHE INTERNAL "")

function(rport_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME" "SOURCES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE RportSDK::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${RPORT_PLUGIN_EXPORT_MAP}")
  if(ARG_OUTPUT_NAME)
    set_target_properties(${target} PROPERTIES OUTPUT_NAME ${ARG_OUTPUT_NAME})
  endif()
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${RPORT_PLUGIN_EXPORT_MAP}"
    "LINKER:-z,now" "LINKER:--no-undefined")
endfunction()
