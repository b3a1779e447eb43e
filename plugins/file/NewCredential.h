#pragma once
// What an API add may put into the file.
#include <rport/types.hpp>

#include "Credential.h"

namespace rport::plugins::file_auth {

// The entry to write for record, or rport::sdk::Error(RPORT_E_INVALID) when the
// file could not hold it faithfully: an empty id or password, text that is not
// UTF-8 or contains NUL, a secret marked plaintext that would be read back as
// a bcrypt hash, a secret marked hashed that is not a bcrypt hash (it would be
// read back as a plaintext password), or a withheld secret.
Credential credentialToStore(const sdk::AuthRecord& record);

}  // namespace rport::plugins::file_auth
