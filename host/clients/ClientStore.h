#pragma once
// clients.db: the clients the server knows, in the original's SQLite schema
// (db/migration/clients, three migrations; golang-migrate's
// schema_migrations table at version 3), so that a data_dir moves between
// the original and rportd in either direction:
//
//   clients(id TEXT PK, client_auth_id TEXT, disconnected_at DATETIME NULL,
//           details TEXT)   -- details: the JSON of the original's clientDetails
//
// Times are go-sqlite3's text ("2026-12-01 23:39:52.023044122+00:00").
// Every write is committed (synchronous = FULL) before it returns. The
// store is not thread-safe: the registry serialises its use.
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

#include "clients/Client.h"
#include "util/SqliteFile.h"

namespace rportd::clients {

// Names the file in its message.
using ClientStoreError = util::SqliteFileError;

class ClientStore {
public:
    // Opens the file, creating it and the schema when missing; checks that
    // an existing file is a sound SQLite database with the clients table.
    // wal: [server] sqlite_wal (journal_mode = WAL).
    ClientStore(std::string path, bool wal);
    ClientStore(const ClientStore&) = delete;
    ClientStore& operator=(const ClientStore&) = delete;

    const std::string& path() const { return _file.path(); }

    std::vector<Client> loadAll();
    void save(const Client& client);
    void remove(const std::vector<std::string>& ids);

private:
    util::SqliteFile _file;
    sqlite3_stmt* _save = nullptr;
    sqlite3_stmt* _removeClient = nullptr;
    sqlite3_stmt* _removeTunnels = nullptr;
};

// The details column's JSON, in the original's key order.
std::string encodeDetails(const Client& client);
// Fills the fields the details hold; throws gojson::TypeError or
// std::invalid_argument (malformed JSON).
void decodeDetails(std::string_view json, Client& client);

}  // namespace rportd::clients
