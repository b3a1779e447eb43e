#pragma once
// The API users file as the shared file machinery sees it.
#include "ApiUser.h"
#include "EntrySnapshot.h"
#include "FileFormat.h"

namespace rport::plugins::file_auth {

using ApiUserIndex = EntrySnapshot<ApiUser>;

// A JSON array of users; its entries are an ApiUserIndex. A write recreates a
// deleted file (mode 0600) from the users in force, as the original server's
// save creates the file when it is missing.
class ApiUserFormat final : public FileFormat {
public:
    std::string title() const override { return "API users file"; }
    std::string countOf(size_t n) const override;
    ParsedFile parse(const std::string& text) const override;
    bool recreatesMissingFile() const override { return true; }
};

}  // namespace rport::plugins::file_auth
