#pragma once
// The "file" api-auth store: [api] auth_file, a JSON array of API users with
// bcrypt password hashes and groups, served from memory. Reloading and
// writing are WatchedJsonFile's; see there for when changes take effect and
// how the file is written.
#include <memory>
#include <optional>
#include <rport/plugin.hpp>
#include <string_view>

#include "ApiUserFormat.h"
#include "WatchedJsonFile.h"

namespace rport::plugins::file_auth {

// Safe for concurrent calls (see WatchedJsonFile).
class ApiUserFileStore final : public sdk::AuthStore {
public:
    // Loads the file; any problem with it fails creation with a message naming
    // the path and the problem (see parseApiUserText).
    explicit ApiUserFileStore(sdk::Host host);

    // Users are found by their exact, case-sensitive username.
    std::optional<sdk::AuthRecord> get(std::string_view id) override;
    sdk::ListPage list(const sdk::ListQuery& query) override;
    // Only bcrypt-hashed secrets are accepted (see userToStore).
    void add(const sdk::AuthRecord& record) override;
    void remove(std::string_view id) override;
    bool writable() const override { return true; }

private:
    std::shared_ptr<const ApiUserIndex> snapshot() const;

    WatchedJsonFile _file;
};

}  // namespace rport::plugins::file_auth
