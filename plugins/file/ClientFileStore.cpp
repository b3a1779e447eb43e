#include "ClientFileStore.h"

#include <algorithm>
#include <vector>

#include "CredentialRenderer.h"
#include "NewCredential.h"

namespace rport::plugins::file_auth {
namespace {

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

WatchedJsonFile::Replacement replacementWith(std::vector<Credential> entries) {
    WatchedJsonFile::Replacement r;
    r.text = renderCredentialText(entries);
    r.entries = std::make_shared<const CredentialIndex>(std::move(entries));
    return r;
}

}  // namespace

ClientFileStore::ClientFileStore(sdk::Host host)
    : _file(host, std::make_unique<ClientAuthFormat>()) {}

// The format guarantees the type: ClientAuthFormat::parse and the edits below
// are the only producers of entry sets for this file.
std::shared_ptr<const CredentialIndex> ClientFileStore::snapshot() const {
    return std::static_pointer_cast<const CredentialIndex>(_file.current());
}

std::optional<sdk::AuthRecord> ClientFileStore::get(std::string_view id) {
    const auto current = snapshot();
    const Credential* found = current->find(id);
    if (!found) return std::nullopt;
    return recordOf(*found);
}

sdk::ListPage ClientFileStore::list(const sdk::ListQuery& query) { return snapshot()->list(query); }

void ClientFileStore::add(const sdk::AuthRecord& record) {
    const Credential added = credentialToStore(record);
    _file.rewrite([&](const EntrySet& set) {
        const auto& current = static_cast<const CredentialIndex&>(set);
        if (current.find(added.id))
            throw sdk::Error(RPORT_E_EXISTS,
                             "client auth id " + quoted(added.id) + " already exists");
        const auto& entries = current.entries();
        const auto position =
            std::lower_bound(entries.begin(), entries.end(), added.id,
                             [](const Credential& c, const std::string& id) { return c.id < id; });
        std::vector<Credential> next;
        next.reserve(entries.size() + 1);
        next.insert(next.end(), entries.begin(), position);
        next.push_back(added);
        next.insert(next.end(), position, entries.end());
        return replacementWith(std::move(next));
    });
}

void ClientFileStore::remove(std::string_view id) {
    _file.rewrite([&](const EntrySet& set) {
        const auto& current = static_cast<const CredentialIndex&>(set);
        if (!current.find(id))
            throw sdk::Error(RPORT_E_NOT_FOUND, "client auth id " + quoted(id) + " not found");
        std::vector<Credential> next;
        next.reserve(current.size() - 1);
        for (const auto& c : current.entries())
            if (c.id != id) next.push_back(c);
        return replacementWith(std::move(next));
    });
}

}  // namespace rport::plugins::file_auth
