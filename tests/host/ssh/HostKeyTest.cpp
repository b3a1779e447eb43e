#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>

#include <filesystem>
#include <iterator>
#include <stdexcept>
#include <string>

#include "TempDir.h"
#include "ssh/HostKey.h"
#include "ssh/SshWire.h"

using rport::test::readFile;
using rport::test::TempDir;
using rportd::ssh::HostKey;
using rportd::ssh::verifyHostSignature;
using rportd::ssh::WireReader;
using rportd::ssh::WireWriter;

namespace {

std::string seedA() { return "a"; }
const char* publicLineA =
    "ecdsa-sha2-nistp256 "
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKNsIUrNoQTXDIATiyKtmZ1V7YuX4LgcNOTue18Rf7"
    "Ty2AcfeQehvqYPSS69efsQtWz/WKVTYi/CmSZW2xAilSM=";

std::string repeated(const std::string& part, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += part;
    return out;
}

// Test keys made with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384` and
// `openssl ecparam -name prime256v1 -genkey -noout`.
const char* p384Pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCRAQyAIStkJQJmJril\n"
    "LvB3tH66ED/9VkkZtgTDbPqz6+F9PwmnCXqrfGopEI7n3UOhZANiAAT79hUU61+R\n"
    "mIc2xBpIyZ6jp4bcX6WhGAfH8kBLEwM5wh+E57ilJ7Ky7C/geMRIevASPxtURRAx\n"
    "Z6Q8JIXLGmmz/xngcWW5aEBlcig50PVqQY1tJi7U2RJs5DQWZpDb2aU=\n"
    "-----END PRIVATE KEY-----\n";
const char* sec1P256Pem =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEILNTvXDB9+bP/Y5ljHi+fO6Pkt6a3R7Q/F0kM4NfKvCloAoGCCqGSM49\n"
    "AwEHoUQDQgAEhhDkjVeChJnakpR0/d+iuIqjAKm2S+hGehPoVZh0Ffti373wmBLa\n"
    "/V2JX+4EDxJ8RlJKFm1YBYfsizdoV4wT9g==\n"
    "-----END EC PRIVATE KEY-----\n";

int fileMode(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return -1;
    return static_cast<int>(info.st_mode & 07777);
}

}  // namespace

class HostKeyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostKeyTest);
    CPPUNIT_TEST(seedsGiveTheOriginalsKeys);
    CPPUNIT_TEST(derivationIsDeterministic);
    CPPUNIT_TEST(emptySeedIsRefused);
    CPPUNIT_TEST(publicBlobLayout);
    CPPUNIT_TEST(sha256FingerprintLikeOpenSsh);
    CPPUNIT_TEST(generatedKeysDiffer);
    CPPUNIT_TEST(signatureRoundTrip);
    CPPUNIT_TEST(tamperedSignaturesFail);
    CPPUNIT_TEST(loadOrCreateKeepsTheKey);
    CPPUNIT_TEST(corruptFileThrowsAndStays);
    CPPUNIT_TEST(otherCurveIsRefused);
    CPPUNIT_TEST(traditionalEcPemIsRead);
    CPPUNIT_TEST_SUITE_END();

public:
    void seedsGiveTheOriginalsKeys() {
        // Fingerprints logged by the original rportd (interop binary, c3214387) for each
        // `[server] key_seed`.
        struct Vector {
            std::string seed;
            const char* fingerprint;
        };
        const Vector vectors[] = {
            {seedA(), "ab:1d:a0:16:60:29:62:23:ea:39:cc:a3:f9:17:13:39"},
            {"5b9a3b82-2f5b-4a86-9c1d-1f44f4a0e1b7",
             "32:bf:dd:12:55:2e:87:9a:97:61:84:e3:91:df:3b:96"},
            // Longer than a SHA-512 block: the seed is hashed as is, not truncated.
            {repeated("0123456789abcdef", 20), "d4:ab:61:19:c8:6c:79:f0:07:ba:fd:6f:06:b2:fd:aa"},
            // UTF-8 bytes as written in the config file.
            {"p\xc3\xa4ssw\xc3\xb6rd-\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87-\xf0\x9f\x94\x91",
             "db:41:25:e5:2a:44:4c:1c:35:3f:9f:9c:53:f2:5b:4a"},
            // Spaces are part of the seed: nothing trims it.
            {" key seed ", "43:a4:da:58:90:ad:bf:ca:3d:09:e3:28:3a:c3:f6:ee"},
        };
        for (const Vector& v : vectors) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(v.seed, std::string(v.fingerprint),
                                         HostKey::fromSeed(v.seed).fingerprintMd5());
        }
        CPPUNIT_ASSERT_EQUAL(std::string(publicLineA),
                             HostKey::fromSeed(seedA()).openSshPublicLine());
    }

    void derivationIsDeterministic() {
        HostKey one = HostKey::fromSeed("some seed");
        HostKey two = HostKey::fromSeed("some seed");
        CPPUNIT_ASSERT(one.publicBlob() == two.publicBlob());
        CPPUNIT_ASSERT(one.publicBlob() != HostKey::fromSeed("some seed ").publicBlob());
    }

    void emptySeedIsRefused() {
        CPPUNIT_ASSERT_THROW(HostKey::fromSeed(""), std::invalid_argument);
    }

    void publicBlobLayout() {
        HostKey key = HostKey::fromSeed(seedA());
        WireReader r(key.publicBlob());
        CPPUNIT_ASSERT_EQUAL(std::string("ecdsa-sha2-nistp256"), std::string(r.string()));
        CPPUNIT_ASSERT_EQUAL(std::string("nistp256"), std::string(r.string()));
        std::string_view point = r.string();
        CPPUNIT_ASSERT_EQUAL(size_t(65), point.size());
        CPPUNIT_ASSERT_EQUAL(4, int(point[0]));
        CPPUNIT_ASSERT(r.atEnd());
    }

    void sha256FingerprintLikeOpenSsh() {
        // `ssh-keygen -lf` on publicLineA.
        CPPUNIT_ASSERT_EQUAL(std::string("SHA256:xhdBTfpaI62qhrkAD4A7jh9NkyRGvOI3GYzAGSqOnps"),
                             HostKey::fromSeed(seedA()).fingerprintSha256());
    }

    void generatedKeysDiffer() {
        HostKey one = HostKey::generate();
        HostKey two = HostKey::generate();
        CPPUNIT_ASSERT(one.publicBlob() != two.publicBlob());
        CPPUNIT_ASSERT_EQUAL(size_t(47), one.fingerprintMd5().size());
    }

    void signatureRoundTrip() {
        for (const HostKey& key : {HostKey::fromSeed(seedA()), HostKey::generate()}) {
            std::string data = "exchange hash";
            std::string sig = key.sign(data);
            CPPUNIT_ASSERT(verifyHostSignature(key.publicBlob(), data, sig));
            WireReader r(sig);
            CPPUNIT_ASSERT_EQUAL(std::string("ecdsa-sha2-nistp256"), std::string(r.string()));
            WireReader inner(r.string());
            CPPUNIT_ASSERT(inner.mpintUnsigned().size() <= 32);
            CPPUNIT_ASSERT(inner.mpintUnsigned().size() <= 32);
            CPPUNIT_ASSERT(inner.atEnd() && r.atEnd());
            CPPUNIT_ASSERT(verifyHostSignature(key.publicBlob(), "", key.sign("")));
        }
    }

    void tamperedSignaturesFail() {
        HostKey key = HostKey::fromSeed(seedA());
        std::string data = "exchange hash";
        std::string sig = key.sign(data);
        CPPUNIT_ASSERT(!verifyHostSignature(key.publicBlob(), data + "x", sig));
        std::string flipped = sig;
        flipped[flipped.size() - 1] ^= 0x01;
        CPPUNIT_ASSERT(!verifyHostSignature(key.publicBlob(), data, flipped));
        CPPUNIT_ASSERT(!verifyHostSignature(HostKey::generate().publicBlob(), data, sig));
        CPPUNIT_ASSERT(!verifyHostSignature(key.publicBlob(), data, sig.substr(0, sig.size() - 1)));
        CPPUNIT_ASSERT(!verifyHostSignature(key.publicBlob(), data, sig + "x"));
        CPPUNIT_ASSERT(!verifyHostSignature(key.publicBlob(), data, ""));
        std::string wrongAlgo = WireWriter().string("ssh-ed25519").raw(sig.substr(4 + 19)).take();
        CPPUNIT_ASSERT(!verifyHostSignature(key.publicBlob(), data, wrongAlgo));
        // A point off the curve is refused rather than used.
        std::string blob = key.publicBlob();
        blob[blob.size() - 1] ^= 0x01;
        CPPUNIT_ASSERT(!verifyHostSignature(blob, data, sig));
    }

    void loadOrCreateKeepsTheKey() {
        TempDir dir;
        std::string path = dir.file("host_key.pem");
        bool created = false;
        HostKey first = HostKey::loadOrCreate(path, &created);
        CPPUNIT_ASSERT(created);
        CPPUNIT_ASSERT_EQUAL(0600, fileMode(path));
        CPPUNIT_ASSERT_EQUAL(size_t(0), readFile(path).find("-----BEGIN PRIVATE KEY-----"));
        HostKey second = HostKey::loadOrCreate(path, &created);
        CPPUNIT_ASSERT(!created);
        CPPUNIT_ASSERT(first.publicBlob() == second.publicBlob());
        CPPUNIT_ASSERT(verifyHostSignature(first.publicBlob(), "d", second.sign("d")));
        // Nothing but the key file is left in the directory (no temporary file).
        auto entries = std::filesystem::directory_iterator(dir.path());
        CPPUNIT_ASSERT_EQUAL(1L,
                             long(std::distance(entries, std::filesystem::directory_iterator())));
    }

    void corruptFileThrowsAndStays() {
        TempDir dir;
        const std::string contents[] = {
            "", "not a key\n", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"};
        for (const std::string& content : contents) {
            std::string path = dir.write("key.pem", content, 0600);
            try {
                HostKey::loadOrCreate(path);
                CPPUNIT_FAIL("corrupt key file accepted: " + content);
            } catch (const std::runtime_error& e) {
                CPPUNIT_ASSERT_MESSAGE(e.what(),
                                       std::string(e.what()).find(path) != std::string::npos);
            }
            CPPUNIT_ASSERT_EQUAL(content, readFile(path));
        }
        // A missing directory is an error too, naming the path.
        std::string nowhere = dir.file("missing/key.pem");
        try {
            HostKey::loadOrCreate(nowhere);
            CPPUNIT_FAIL("key file created in a missing directory");
        } catch (const std::runtime_error& e) {
            CPPUNIT_ASSERT(std::string(e.what()).find(nowhere) != std::string::npos);
        }
    }

    void otherCurveIsRefused() {
        TempDir dir;
        std::string path = dir.write("p384.pem", p384Pem, 0600);
        CPPUNIT_ASSERT_THROW(HostKey::loadOrCreate(path), std::runtime_error);
        CPPUNIT_ASSERT_EQUAL(std::string(p384Pem), readFile(path));
    }

    void traditionalEcPemIsRead() {
        // The original writes its keys as SEC1 "EC PRIVATE KEY"; such a file is usable as is.
        TempDir dir;
        bool created = true;
        HostKey key = HostKey::loadOrCreate(dir.write("sec1.pem", sec1P256Pem, 0600), &created);
        CPPUNIT_ASSERT(!created);
        // `ssh-keygen -E md5 -l` on the public half.
        CPPUNIT_ASSERT_EQUAL(std::string("15:ae:6b:93:8e:bf:03:d5:db:9e:e2:27:45:03:57:dc"),
                             key.fingerprintMd5());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostKeyTest);
