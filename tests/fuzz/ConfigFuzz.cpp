// Fuzzing the reading of rportd.conf (config/): the TOML parser, the
// decoding of every known key and the validation the original server does,
// on text given in memory. A config is written by the operator, so this is
// about robustness: no text may crash rportd or make it throw anything but a
// ConfigError, and what it prints stays one line per finding, as the header
// of ConfigError promises (a key with a newline in its quoted name must not
// start a line of its own in the log). Validation may look at files the
// text names (certificates, the CA bundle); it only reads them.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "FuzzEntry.h"
#include "config/Config.h"
#include "config/ConfigError.h"

using namespace rportd::config;

namespace {

[[noreturn]] void failWith(const char* what, const std::string& text) {
    std::fprintf(stderr, "%s: [%s]\n", what, text.c_str());
    abort();
}

}  // namespace

int rportFuzzConfig(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> warnings;
    try {
        loadConfigText(text, "fuzz.conf", warnings);
    } catch (const ConfigError& e) {
        if (std::string(e.what()).find('\n') != std::string::npos)
            failWith("error of two lines", e.what());
    }
    for (const std::string& warning : warnings)
        if (warning.find('\n') != std::string::npos || warning.rfind("fuzz.conf", 0) != 0)
            failWith("warning of two lines or without a position", warning);
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzConfig(data, size);
}
#endif
