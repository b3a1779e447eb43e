#include "ApiUserFileStore.h"

#include <algorithm>
#include <vector>

#include "ApiUserRenderer.h"
#include "NewApiUser.h"

namespace rport::plugins::file_auth {
namespace {

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

WatchedJsonFile::Replacement replacementWith(std::vector<ApiUser> users) {
    WatchedJsonFile::Replacement r;
    r.text = renderApiUserText(users);
    r.entries = std::make_shared<const ApiUserIndex>(std::move(users));
    return r;
}

}  // namespace

ApiUserFileStore::ApiUserFileStore(sdk::Host host)
    : _file(host, std::make_unique<ApiUserFormat>()) {}

// The format guarantees the type: ApiUserFormat::parse and the edits below are
// the only producers of entry sets for this file.
std::shared_ptr<const ApiUserIndex> ApiUserFileStore::snapshot() const {
    return std::static_pointer_cast<const ApiUserIndex>(_file.current());
}

std::optional<sdk::AuthRecord> ApiUserFileStore::get(std::string_view id) {
    const auto current = snapshot();
    const ApiUser* found = current->find(id);
    if (!found) return std::nullopt;
    return recordOf(*found);
}

sdk::ListPage ApiUserFileStore::list(const sdk::ListQuery& query) {
    return snapshot()->list(query);
}

void ApiUserFileStore::add(const sdk::AuthRecord& record) {
    const ApiUser added = userToStore(record);
    _file.rewrite([&](const EntrySet& set) {
        const auto& current = static_cast<const ApiUserIndex&>(set);
        if (current.find(added.username))
            throw sdk::Error(RPORT_E_EXISTS,
                             "API user " + quoted(added.username) + " already exists");
        const auto& users = current.entries();
        const auto position = std::lower_bound(
            users.begin(), users.end(), added.username,
            [](const ApiUser& u, const std::string& name) { return u.username < name; });
        std::vector<ApiUser> next;
        next.reserve(users.size() + 1);
        next.insert(next.end(), users.begin(), position);
        next.push_back(added);
        next.insert(next.end(), position, users.end());
        return replacementWith(std::move(next));
    });
}

void ApiUserFileStore::remove(std::string_view id) {
    _file.rewrite([&](const EntrySet& set) {
        const auto& current = static_cast<const ApiUserIndex&>(set);
        if (!current.find(id))
            throw sdk::Error(RPORT_E_NOT_FOUND, "API user " + quoted(id) + " not found");
        std::vector<ApiUser> next;
        next.reserve(current.size() - 1);
        for (const auto& u : current.entries())
            if (u.username != id) next.push_back(u);
        return replacementWith(std::move(next));
    });
}

}  // namespace rport::plugins::file_auth
