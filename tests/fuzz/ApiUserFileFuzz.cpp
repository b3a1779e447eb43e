// Fuzzing the API users file format of the "file" plugin ([api]
// auth_file): a JSON array of users with bcrypt hashes and groups. The
// parser and renderer are compiled in from plugins/file. The API rewrites
// this file from what API users send, so the renderer's text must read back
// as exactly the users it was given. The checks besides the sanitizers:
// parsed users are sorted by username, unique, with a username and a bcrypt
// hash; rendering them and parsing the text again gives the same users;
// anything but FileFormatError escaping the parser is a bug.
#include <cstdlib>
#include <string>

#include "ApiUserParser.h"
#include "ApiUserRenderer.h"
#include "FuzzEntry.h"

using namespace rport::plugins::file_auth;

namespace {

bool sameUser(const ApiUser& a, const ApiUser& b) {
    return a.username == b.username && a.passwordHash == b.passwordHash && a.groups == b.groups &&
           a.passwordExpired == b.passwordExpired && a.twoFaSendTo == b.twoFaSendTo &&
           a.totpSecret == b.totpSecret;
}

}  // namespace

int rportFuzzApiUserFile(const uint8_t* data, size_t size) {
    std::vector<ApiUser> users;
    try {
        users = parseApiUserText(std::string(reinterpret_cast<const char*>(data), size));
    } catch (const FileFormatError&) {
        return 0;
    }
    for (size_t i = 0; i < users.size(); ++i) {
        if (users[i].username.empty() || users[i].passwordHash.rfind("$2", 0) != 0) abort();
        if (i > 0 && !(users[i - 1].username < users[i].username)) abort();
    }
    std::vector<ApiUser> again = parseApiUserText(renderApiUserText(users));
    if (again.size() != users.size()) abort();
    for (size_t i = 0; i < users.size(); ++i)
        if (!sameUser(again[i], users[i])) abort();
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzApiUserFile(data, size);
}
#endif
