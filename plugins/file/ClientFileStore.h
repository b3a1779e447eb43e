#pragma once
// The "file" client-auth store: [server] auth_file, a JSON object mapping
// client-auth ids to passwords (plaintext or bcrypt), served from memory.
// Reloading and writing are WatchedJsonFile's; see there for when changes
// take effect and how the file is written.
#include <memory>
#include <optional>
#include <rport/plugin.hpp>
#include <string_view>

#include "ClientAuthFormat.h"
#include "WatchedJsonFile.h"

namespace rport::plugins::file_auth {

// Safe for concurrent calls (see WatchedJsonFile).
class ClientFileStore final : public sdk::AuthStore {
public:
    // Loads the file; any problem with it fails creation with a message naming
    // the path and, for bad content, the entry or line and column.
    explicit ClientFileStore(sdk::Host host);

    std::optional<sdk::AuthRecord> get(std::string_view id) override;
    sdk::ListPage list(const sdk::ListQuery& query) override;
    void add(const sdk::AuthRecord& record) override;
    void remove(std::string_view id) override;
    // A file can be written; whether the API may do so ([server] auth_write)
    // is decided by the host.
    bool writable() const override { return true; }

private:
    std::shared_ptr<const CredentialIndex> snapshot() const;

    WatchedJsonFile _file;
};

}  // namespace rport::plugins::file_auth
