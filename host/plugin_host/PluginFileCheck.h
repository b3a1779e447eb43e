#pragma once
// The checks a plugin file and its directory pass before anything is mapped
// into the process: whoever can rewrite them can run code as rportd.
#include <string>

namespace rportd::plugin_host {

// Empty when path may be loaded; otherwise why not, e.g.
// "writable by group or others (mode 0664)". Refused: not a regular file,
// group- or world-writable, owned by someone other than root or rportd's user.
std::string refusePluginFile(const std::string& path);

// The same rules for the directory the plugins are read from.
std::string refusePluginDirectory(const std::string& path);

}  // namespace rportd::plugin_host
