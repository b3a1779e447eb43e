// file_store_writer_as <uid> <gid> <plugin.so> <credentials file> <id>
//
// Becomes uid/gid (no supplementary groups), then adds <id> through the file
// plugin, as an rportd running as an unprivileged user would. Prints the
// result code and message on one line; exits 0 when the add succeeded, 1
// when the plugin refused it, 2 on a usage or set-up error. Lets a test run
// as root check what happens when the plugin may not change a file's owner.
#include <grp.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <rport/testing.hpp>
#include <string>

int main(int argc, char** argv) {
    if (argc != 6) {
        std::cerr << "usage: " << argv[0] << " <uid> <gid> <plugin.so> <credentials file> <id>\n";
        return 2;
    }
    const uid_t uid = static_cast<uid_t>(std::strtoul(argv[1], nullptr, 10));
    const gid_t gid = static_cast<gid_t>(std::strtoul(argv[2], nullptr, 10));
    if (::setgroups(0, nullptr) != 0 || ::setresgid(gid, gid, gid) != 0 ||
        ::setresuid(uid, uid, uid) != 0 || ::geteuid() != uid) {
        std::perror("dropping privileges");
        return 2;
    }
    try {
        rport::sdk::testing::FakeHost host;
        host.settings = {
            {"path", argv[4]}, {"write", "true"}, {"inotify", "false"}, {"check_interval_ms", "0"}};
        auto plugin = host.open(argv[3]);
        auto store = host.createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "file");
        rport::sdk::AuthRecord rec;
        rec.id = argv[5];
        rec.secret = "pw";
        const auto result = store->add(rec);
        std::cout << result.code << " " << result.message << std::endl;
        return result.ok() ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
}
