#include "FileStoreSettings.h"

#include <cstdint>
#include <limits>

namespace rport::plugins::file_auth {
namespace {

std::chrono::milliseconds readMilliseconds(const sdk::Host& host, const char* key,
                                           std::chrono::milliseconds fallback) {
    auto text = host.setting(key);
    if (!text) return fallback;
    uint64_t value = 0;
    bool valid = !text->empty();
    for (char c : *text) {
        if (c < '0' || c > '9' || value > std::numeric_limits<uint32_t>::max()) {
            valid = false;
            break;
        }
        value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!valid || value > std::numeric_limits<uint32_t>::max())
        throw sdk::Error(RPORT_E_INVALID, std::string("setting '") + key +
                                              "' must be a whole number of milliseconds, got \"" +
                                              *text + "\"");
    return std::chrono::milliseconds(value);
}

}  // namespace

FileStoreSettings readSettings(const sdk::Host& host, const std::string& fileTitle) {
    FileStoreSettings s;
    s.path = host.requireSetting("path");
    if (s.path.empty())
        throw sdk::Error(RPORT_E_INVALID, "setting 'path' must name the " + fileTitle);
    s.writesExpected = host.flag("write", true);
    s.useInotify = host.flag("inotify", true);
    s.checkInterval = readMilliseconds(host, "check_interval_ms", s.checkInterval);
    return s;
}

}  // namespace rport::plugins::file_auth
