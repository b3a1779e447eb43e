#pragma once
// Runs a check as a user without privileges. Root passes every permission
// check of the kernel, so a test of "unreadable file" or "someone else's
// directory" proves nothing when it runs as root (and CI runs as root). As
// root, the check runs in a forked child that has dropped to uid and gid
// 65534 ("nobody") with no supplementary groups; as anyone else it runs in
// place. Either way the text it returns comes back, and an exception it
// throws, a crash or a hang fails the calling test.
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>

namespace rport::test {

constexpr uid_t kNobody = 65534;

// The uid a check run by asUnprivilegedUser runs under.
uid_t unprivilegedUid();

// check's result, computed as unprivilegedUid(). The child gets `limit` to
// answer before it is killed; answers longer than 64 KB fail the test.
std::string asUnprivilegedUser(const std::function<std::string()>& check,
                               std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace rport::test
