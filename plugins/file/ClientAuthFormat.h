#pragma once
// The client-auth file as the shared file machinery sees it.
#include "Credential.h"
#include "EntrySnapshot.h"
#include "FileFormat.h"

namespace rport::plugins::file_auth {

using CredentialIndex = EntrySnapshot<Credential>;

// A JSON object mapping client-auth ids to passwords; its entries are a
// CredentialIndex. A write never recreates a deleted file: the original
// server never creates this file either, and an operator who removed it most
// likely meant to.
class ClientAuthFormat final : public FileFormat {
public:
    std::string title() const override { return "client auth file"; }
    std::string countOf(size_t n) const override;
    // Ids given twice are not an error (the last value wins, as in the
    // original); they come back as a warning.
    ParsedFile parse(const std::string& text) const override;
    bool recreatesMissingFile() const override { return false; }
};

}  // namespace rport::plugins::file_auth
