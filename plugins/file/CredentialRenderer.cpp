#include "CredentialRenderer.h"

#include "JsonString.h"

namespace rport::plugins::file_auth {

std::string renderCredentialText(const std::vector<Credential>& entries) {
    if (entries.empty()) return "{}\n";
    std::string out;
    size_t estimate = 4;
    for (const auto& e : entries) estimate += e.id.size() + e.secret.size() + 8;
    out.reserve(estimate);
    out += "{\n";
    for (size_t i = 0; i < entries.size(); ++i) {
        out += '\t';
        appendJsonString(out, entries[i].id);
        out += ": ";
        appendJsonString(out, entries[i].secret);
        out += i + 1 < entries.size() ? ",\n" : "\n";
    }
    out += "}\n";
    return out;
}

}  // namespace rport::plugins::file_auth
