#pragma once
// The directory state_dir hands a backend for its own files (account keys,
// certificates, locks): <data_dir>/<backend name>, made by the host with mode
// 0700. Whatever already sits at that path must be a real directory of
// rportd's user that nobody else can write to: a symbolic link or a foreign
// directory could steer a plugin's private keys somewhere else.
#include <optional>
#include <string>
#include <string_view>

namespace rportd::plugin_host {

// The ready directory, or nothing with why set to a sentence for the log
// (e.g. `/srv/rport/acme is a symbolic link`).
std::optional<std::string> prepareStateDirectory(std::string_view dataDir,
                                                 std::string_view backendName, std::string& why);

}  // namespace rportd::plugin_host
