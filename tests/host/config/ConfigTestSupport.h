#pragma once
// Helpers shared by the config tests: load a snippet, expect a given error.
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/Config.h"

namespace rportd::config::test {

// The smallest text that passes validation: one static client credential.
inline const std::string kMinimalConfig = "[server]\nauth = \"client1:secret\"\n";

inline Config loadText(const std::string& text, std::vector<std::string>* warnings = nullptr) {
    std::vector<std::string> local;
    try {
        return loadConfigText(text, "rportd.conf", warnings ? *warnings : local);
    } catch (const ConfigError& error) {
        CPPUNIT_FAIL(std::string("unexpected ConfigError: ") + error.what());
    }
    return Config{};
}

// The what() of the ConfigError that loading `text` must throw.
inline std::string loadError(const std::string& text) {
    std::vector<std::string> warnings;
    try {
        loadConfigText(text, "rportd.conf", warnings);
    } catch (const ConfigError& error) {
        const std::string message = error.what();
        CPPUNIT_ASSERT_MESSAGE("error must be one line: " + message,
                               message.find('\n') == std::string::npos);
        return message;
    }
    CPPUNIT_FAIL("expected a ConfigError for:\n" + text);
    return {};
}

inline std::size_t countContaining(const std::vector<std::string>& lines, const std::string& part) {
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const auto& l) {
        return l.find(part) != std::string::npos;
    }));
}

}  // namespace rportd::config::test
