// Fuzzing the client-auth file format of the "file" plugin ([server]
// auth_file): {"client-id": "password", ...}. The parser is compiled in from
// plugins/file. The file is the operator's, but it is also rewritten by the
// API from ids and passwords API users send, so what the renderer writes
// must read back as exactly what was written. The checks besides the
// sanitizers: parsed entries are sorted, unique and have ids and passwords;
// rendering them and parsing the text again gives the same entries, with no
// duplicates; anything but FileFormatError escaping the parser is a bug.
#include <cstdlib>
#include <string>

#include "CredentialParser.h"
#include "CredentialRenderer.h"
#include "FuzzEntry.h"

using namespace rport::plugins::file_auth;

namespace {

bool sameEntries(const std::vector<Credential>& a, const std::vector<Credential>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].id != b[i].id || a[i].secret != b[i].secret) return false;
    return true;
}

}  // namespace

int rportFuzzCredentialFile(const uint8_t* data, size_t size) {
    ParsedCredentials parsed;
    try {
        parsed = parseCredentialText(std::string(reinterpret_cast<const char*>(data), size));
    } catch (const FileFormatError&) {
        return 0;
    }
    for (size_t i = 0; i < parsed.entries.size(); ++i) {
        const Credential& c = parsed.entries[i];
        if (c.id.empty() || c.secret.empty()) abort();
        if (i > 0 && !(parsed.entries[i - 1].id < c.id)) abort();
    }
    ParsedCredentials again = parseCredentialText(renderCredentialText(parsed.entries));
    if (!again.duplicateIds.empty() || !sameEntries(again.entries, parsed.entries)) abort();
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzCredentialFile(data, size);
}
#endif
