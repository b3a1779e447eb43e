#pragma once
// A streaming Poco JSON handler that checks the shape of a client-auth file
// while the parser reads it, so no document tree is built for large files.
#include <Poco/JSON/Handler.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "Credential.h"

namespace rport::plugins::file_auth {

class CredentialCollector final : public Poco::JSON::Handler {
public:
    // Entries in document order, duplicates included.
    const std::vector<Credential>& entries() const noexcept { return _entries; }
    std::vector<Credential> takeEntries() noexcept { return std::move(_entries); }
    // The first shape problem (wrong type, empty id or password); empty when none.
    // Later events are ignored once a problem is recorded, so the parser only
    // continues to find syntax errors.
    const std::string& problem() const noexcept { return _problem; }

    void reset() override;
    void startObject() override;
    void endObject() override;
    void startArray() override;
    void endArray() override;
    void key(const std::string& k) override;
    void null() override;
    void value(int v) override;
    void value(unsigned v) override;
#if defined(POCO_HAVE_INT64)
    void value(Poco::Int64 v) override;
    void value(Poco::UInt64 v) override;
#endif
    void value(const std::string& v) override;
    void value(double d) override;
    void value(bool b) override;

private:
    // Where the parser is in the expected shape { "id": "password", ... }.
    enum class Position { BeforeDocument, InObject, AfterKey, AfterDocument };

    void onNonStringValue(const char* what);
    void onString(const std::string& v);
    void fail(std::string message);
    std::string entryName() const;

    Position _position = Position::BeforeDocument;
    std::string _pendingId;
    size_t _entryNumber = 0;  // 1-based position of the current entry in the file
    std::vector<Credential> _entries;
    std::string _problem;
};

}  // namespace rport::plugins::file_auth
