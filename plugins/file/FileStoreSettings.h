#pragma once
// The settings rportd hands either store of the file plugin.
#include <chrono>
#include <cstddef>
#include <rport/plugin.hpp>
#include <string>

namespace rport::plugins::file_auth {

struct FileStoreSettings {
    // "path": the JSON file ([server] auth_file or [api] auth_file). Required.
    std::string path;
    // "write": [server] auth_write for client credentials. The host refuses API
    // writes itself when it is false; the store only uses it to avoid touching
    // the directory (lock file, clean-up) when it will never write.
    bool writesExpected = true;
    // "inotify" (default true): watch the directory for prompt reloads.
    bool useInotify = true;
    // "check_interval_ms" (default 2000, 0 = off): how often the file's stamp is
    // compared as a safety net for changes inotify cannot report.
    std::chrono::milliseconds checkInterval{2000};
    // "max_file_bytes" (default 64 MiB): a larger file is refused, on load and
    // on write, rather than read into memory without bound.
    size_t maxFileBytes = size_t{64} << 20;
};

// Throws rport::sdk::Error(RPORT_E_INVALID) naming a missing or malformed
// setting; fileTitle ("client auth file") says what 'path' should name.
FileStoreSettings readSettings(const sdk::Host& host, const std::string& fileTitle);

}  // namespace rport::plugins::file_auth
