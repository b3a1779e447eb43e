#include "ClientAuthFormat.h"

#include "CredentialParser.h"

namespace rport::plugins::file_auth {
namespace {

// Duplicate ids named in one warning; the rest are counted.
constexpr size_t kDuplicatesNamed = 10;

std::string duplicatesWarning(const std::vector<std::string>& ids) {
    std::string names;
    for (size_t i = 0; i < ids.size() && i < kDuplicatesNamed; ++i)
        names += (i ? ", \"" : "\"") + ids[i] + "\"";
    if (ids.size() > kDuplicatesNamed)
        names += " and " + std::to_string(ids.size() - kDuplicatesNamed) + " more";
    return "ids given more than once, the last value wins: " + names;
}

}  // namespace

std::string ClientAuthFormat::countOf(size_t n) const {
    return std::to_string(n) + (n == 1 ? " client credential" : " client credentials");
}

ParsedFile ClientAuthFormat::parse(const std::string& text) const {
    ParsedCredentials parsed = parseCredentialText(text);
    ParsedFile out;
    if (!parsed.duplicateIds.empty())
        out.warnings.push_back(duplicatesWarning(parsed.duplicateIds));
    out.entries = std::make_shared<const CredentialIndex>(std::move(parsed.entries));
    return out;
}

}  // namespace rport::plugins::file_auth
