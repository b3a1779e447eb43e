#pragma once
// Old [server] key names (rport-behaviour.md §1.7). They are decoded on the
// side and mapped onto their successors once the whole file has been read, so
// the old key wins whatever the order in the file, as in the original.
#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/Config.h"
#include "config/ValueDecoding.h"

namespace rportd::config {

class DeprecatedKeys {
public:
    // `name` is one of the Deprecated keys of the catalog's [server] section.
    void decode(std::string_view name, const toml::node& value, const KeyLabel& label);

    // Copies non-zero old values onto the new keys; one warning per old key seen.
    void applyTo(Config& config, std::vector<std::string>& warnings) const;

private:
    template <class T>
    struct Seen {
        // A constructor rather than "T value{};": clang cannot tell that a
        // nested class with member initializers is default-constructible
        // while the enclosing class is still being defined, and then refuses
        // std::optional<Seen>::emplace().
        Seen() : value() {}
        T value;
        KeyLabel label;
    };
    std::optional<Seen<bool>> _cleanupLostClients;
    std::optional<Seen<Duration>> _keepLostClients;
    std::optional<Seen<Duration>> _cleanupClientsInterval;
    std::optional<Seen<std::int64_t>> _maxRequestBytes;
    std::optional<KeyLabel> _maxFilepushSize;
    std::optional<KeyLabel> _enableWsTestEndpoints;
};

}  // namespace rportd::config
