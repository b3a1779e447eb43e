#pragma once
// Every key the original rportd.conf knows, and what we do with it: apply it,
// warn that it is not supported yet, or map a deprecated key to its successor.
// Keeping the list complete is what lets a typo be told apart from a real key.
#include <toml++/toml.h>

#include <functional>
#include <string_view>
#include <vector>

#include "config/Config.h"
#include "config/ValueDecoding.h"

namespace rportd::config {

enum class KeyKind {
    Implemented,  // decoded into Config
    Unsupported,  // a real key of the original that this rportd does not act on yet
    Deprecated,   // an old name, handled by DeprecatedKeys
};

using KeyApplier = std::function<void(Config&, const toml::node&, const KeyLabel&)>;

struct KeySpec {
    std::string_view name;
    KeyKind kind;
    KeyApplier apply;  // set for Implemented keys only
};

struct SectionSpec {
    std::string_view name;
    bool supported;  // false: every key of it is Unsupported
    std::vector<KeySpec> keys;
};

// The sections of the original and our [acme] (without our [plugins] / [plugin.NAME]).
const std::vector<SectionSpec>& knownSections();
const SectionSpec* findSection(std::string_view name);
const KeySpec* findKey(const SectionSpec& section, std::string_view name);

}  // namespace rportd::config
