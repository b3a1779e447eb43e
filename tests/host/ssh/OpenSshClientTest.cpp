// OpenSSH's ssh client against the SSH server engine: every key exchange and
// cipher we offer, password authentication right and wrong, re-keying
// started by either side and strict key exchange. An independent
// implementation catches what testing against our own expectations cannot.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include <fstream>

#include "LoopbackSshServer.h"
#include "Skip.h"
#include "Subprocess.h"
#include "TempDir.h"

using rport::test::LoopbackSshServer;
using rportd::ssh::HostKey;
using rportd::ssh::ServerConnection;

namespace {

const HostKey& hostKey() {
    static HostKey key = HostKey::fromSeed("openssh-client-test");
    return key;
}

struct SshRun {
    int exitCode;
    std::string output;
};

SshRun runSsh(uint16_t port, const std::string& password, std::vector<std::string> options) {
    static rport::test::TempDir dir;
    std::string askpass = dir.path() + "/askpass-" + std::to_string(port);
    {
        std::ofstream script(askpass);
        script << "#!/bin/sh\nprintf '%s\\n' '" << password << "'\n";
    }
    ::chmod(askpass.c_str(), 0700);
    std::vector<std::string> argv = {"ssh",
                                     "-vvv",
                                     "-N",
                                     "-F",
                                     "/dev/null",
                                     "-p",
                                     std::to_string(port),
                                     "-o",
                                     "StrictHostKeyChecking=no",
                                     "-o",
                                     "UserKnownHostsFile=/dev/null",
                                     "-o",
                                     "PreferredAuthentications=password",
                                     "-o",
                                     "PubkeyAuthentication=no",
                                     "-o",
                                     "NumberOfPasswordPrompts=1",
                                     "-o",
                                     "ConnectTimeout=10"};
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back("clientAuth1@127.0.0.1");
    auto result = rport::test::runProcess(
        argv, dir.path(), {{"SSH_ASKPASS", askpass}, {"SSH_ASKPASS_REQUIRE", "force"}}, 30000);
    return {result.exitCode, result.output};
}

bool haveSsh() {
    if (rport::test::toolInstalled("ssh")) return true;
    rport::test::skipTest("OpenSSH's ssh client is not installed");
    return false;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

class OpenSshClientTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OpenSshClientTest);
    CPPUNIT_TEST(everyKexAndCipherAuthenticates);
    CPPUNIT_TEST(wrongPasswordIsRefused);
    CPPUNIT_TEST(clientStartedRekeying);
    CPPUNIT_TEST(serverStartedRekeying);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyKexAndCipherAuthenticates() {
        if (!haveSsh()) return;
        for (std::string kex :
             {"curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256"}) {
            for (std::string cipher : {"chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com",
                                       "aes256-gcm@openssh.com"}) {
                LoopbackSshServer::Options options;
                options.onAuthenticated = [](ServerConnection& c) {
                    c.disconnect(11, "test done");
                };
                LoopbackSshServer server(hostKey(), options);
                SshRun run = runSsh(server.port(), "1234",
                                    {"-o", "KexAlgorithms=" + kex, "-o", "Ciphers=" + cipher});
                server.stop();
                std::string context =
                    kex + " " + cipher + ":\n" + rport::test::tail(run.output, 3000);
                CPPUNIT_ASSERT_MESSAGE(context, server.authenticated());
                CPPUNIT_ASSERT_MESSAGE(context, contains(run.output, "kex: algorithm: " + kex));
                CPPUNIT_ASSERT_MESSAGE(context, contains(run.output, "cipher: " + cipher));
                CPPUNIT_ASSERT_MESSAGE(context, contains(run.output, "Authenticated to 127.0.0.1"));
                CPPUNIT_ASSERT_MESSAGE(context, contains(run.output, "test done"));
                // This OpenSSH offers strict key exchange; we must have agreed.
                CPPUNIT_ASSERT_MESSAGE(context, contains(run.output, "strict KEX"));
                CPPUNIT_ASSERT_MESSAGE(context,
                                       contains(server.clientVersion(), "SSH-2.0-OpenSSH"));
            }
        }
    }

    void wrongPasswordIsRefused() {
        if (!haveSsh()) return;
        LoopbackSshServer server(hostKey(), {});
        SshRun run = runSsh(server.port(), "wrong", {});
        server.stop();
        CPPUNIT_ASSERT(!server.authenticated());
        CPPUNIT_ASSERT_EQUAL(1, server.passwordAttempts());
        CPPUNIT_ASSERT_MESSAGE(run.output, contains(run.output, "Permission denied"));
        CPPUNIT_ASSERT(run.exitCode != 0);
    }

    // The server makes the client answer many requests; the client re-keys
    // after every few kilobytes (RekeyLimit) and the connection carries on.
    void clientStartedRekeying() {
        if (!haveSsh()) return;
        LoopbackSshServer::Options options;
        options.onAuthenticated = [](ServerConnection& c) { chatter(c, 300); };
        LoopbackSshServer server(hostKey(), options);
        SshRun run = runSsh(server.port(), "1234", {"-o", "RekeyLimit=4K"});
        server.stop();
        CPPUNIT_ASSERT_MESSAGE(run.output, contains(run.output, "chatter done"));
        CPPUNIT_ASSERT_MESSAGE(run.output, contains(run.output, "SSH2_MSG_KEXINIT sent"));
        CPPUNIT_ASSERT_MESSAGE(run.output, !server.endedByViolation());
    }

    void serverStartedRekeying() {
        if (!haveSsh()) return;
        LoopbackSshServer::Options options;
        options.settings.rekeyAfterBytes = 4096;
        options.onAuthenticated = [](ServerConnection& c) { chatter(c, 300); };
        LoopbackSshServer server(hostKey(), options);
        SshRun run = runSsh(server.port(), "1234", {});
        server.stop();
        CPPUNIT_ASSERT_MESSAGE(run.output, contains(run.output, "chatter done"));
        CPPUNIT_ASSERT_MESSAGE(run.output, !server.endedByViolation());
        // OpenSSH logs each KEXINIT it receives after the first as a re-key.
        size_t kexInits = 0;
        for (size_t at = run.output.find("SSH2_MSG_KEXINIT received"); at != std::string::npos;
             at = run.output.find("SSH2_MSG_KEXINIT received", at + 1))
            ++kexInits;
        CPPUNIT_ASSERT_MESSAGE(run.output, kexInits >= 3);
    }

private:
    // Sends `count` requests that the client refuses, one after the other,
    // then disconnects with "chatter done".
    static void chatter(ServerConnection& connection, int count) {
        if (count == 0) return connection.disconnect(11, "chatter done");
        connection.sendGlobalRequest(
            "chatter@rportd", std::string(64, 'x'),
            [&connection, count](bool, std::string_view) { chatter(connection, count - 1); });
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OpenSshClientTest);
