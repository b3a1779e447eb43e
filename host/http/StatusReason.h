#pragma once
// Standard reason phrases for the status line (RFC 9110 section 15).
namespace rportd::http {

// The phrase for a status code, or "" for codes without a registered one
// (an empty reason phrase is valid on the wire).
const char* reasonPhrase(int status);

}  // namespace rportd::http
