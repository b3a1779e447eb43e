#pragma once
// One MariaDB server for all the tests of a program that do not stop it:
// started on first use (a few seconds), stopped at exit.
#include "MariaDbServer.h"

namespace rport::test {

inline MariaDbServer& sharedMariaDb() {
    static MariaDbServer server;
    return server;
}

}  // namespace rport::test
