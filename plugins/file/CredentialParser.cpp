#include "CredentialParser.h"

#include <Poco/SharedPtr.h>

#include <algorithm>
#include <utility>

#include "CredentialCollector.h"
#include "JsonParse.h"

namespace rport::plugins::file_auth {
namespace {

// Sorts by id and keeps the last value of an id written more than once, the
// way a JSON object decoded into a map behaves in the original server.
ParsedCredentials sortAndDeduplicate(std::vector<Credential> inDocumentOrder) {
    std::stable_sort(inDocumentOrder.begin(), inDocumentOrder.end(),
                     [](const Credential& a, const Credential& b) { return a.id < b.id; });
    ParsedCredentials out;
    out.entries.reserve(inDocumentOrder.size());
    for (size_t i = 0; i < inDocumentOrder.size();) {
        size_t last = i;
        while (last + 1 < inDocumentOrder.size() &&
               inDocumentOrder[last + 1].id == inDocumentOrder[i].id)
            ++last;
        if (last != i) out.duplicateIds.push_back(inDocumentOrder[i].id);
        out.entries.push_back(std::move(inDocumentOrder[last]));
        i = last + 1;
    }
    return out;
}

}  // namespace

ParsedCredentials parseCredentialText(const std::string& text) {
    // A streaming handler: a file of 100,000 entries never becomes a document tree.
    Poco::SharedPtr<CredentialCollector> collector(new CredentialCollector);
    parseJsonText(text, collector);
    if (!collector->problem().empty()) throw FileFormatError(collector->problem());
    return sortAndDeduplicate(collector->takeEntries());
}

}  // namespace rport::plugins::file_auth
