// file_store_crash_writer <plugin.so> <credentials file> <id prefix>
//
// Adds "<prefix>-0", "<prefix>-1", ... through the file plugin until killed,
// printing each id only after the plugin acknowledged it. The crash test kills
// it with SIGKILL at random moments and checks that every printed id survived.
#include <cstdio>
#include <iostream>
#include <rport/testing.hpp>
#include <string>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: " << argv[0] << " <plugin.so> <credentials file> <id prefix>\n";
        return 2;
    }
    try {
        rport::sdk::testing::FakeHost host;
        host.settings = {{"path", argv[2]}, {"write", "true"}};
        auto plugin = host.open(argv[1]);
        auto store = host.createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "file");
        for (unsigned long n = 0;; ++n) {
            rport::sdk::AuthRecord rec;
            rec.id = std::string(argv[3]) + "-" + std::to_string(n);
            rec.secret = "pw-" + std::to_string(n);
            auto result = store->add(rec);
            if (!result.ok()) {
                std::cerr << "add " << rec.id << " failed: " << result.message << "\n";
                return 1;
            }
            // stdio, not iostream buffering rules: one write(2) per line, after the
            // acknowledgement.
            std::printf("%s\n", rec.id.c_str());
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
}
