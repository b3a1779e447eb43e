#include "tls/SocketBio.h"

#include <sys/socket.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace rportd::tls {

namespace {

struct SocketState {
    int fd;
    bool sawEof;  // OpenSSL asks (BIO_CTRL_EOF) to tell a clean EOF from an error
};

SocketState* stateOf(BIO* bio) {
    return static_cast<SocketState*>(BIO_get_data(bio));
}

bool wouldBlock(int error) {
    return error == EAGAIN || error == EWOULDBLOCK;
}

int socketWrite(BIO* bio, const char* data, int size) {
    BIO_clear_retry_flags(bio);
    ssize_t sent;
    do {
        sent = ::send(stateOf(bio)->fd, data, static_cast<size_t>(size), MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0 && wouldBlock(errno)) BIO_set_retry_write(bio);
    return static_cast<int>(sent);
}

int socketRead(BIO* bio, char* buffer, int size) {
    BIO_clear_retry_flags(bio);
    SocketState* state = stateOf(bio);
    ssize_t received;
    do {
        received = ::recv(state->fd, buffer, static_cast<size_t>(size), 0);
    } while (received < 0 && errno == EINTR);
    if (received == 0) state->sawEof = true;
    if (received < 0 && wouldBlock(errno)) BIO_set_retry_read(bio);
    return static_cast<int>(received);
}

int socketPuts(BIO* bio, const char* text) {
    size_t length = std::strlen(text);
    return socketWrite(bio, text, length > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(length));
}

long socketControl(BIO* bio, int command, long, void*) {
    switch (command) {
    case BIO_CTRL_FLUSH:
        return 1;  // nothing is buffered here
    case BIO_CTRL_EOF:
        return stateOf(bio)->sawEof ? 1 : 0;
    default:
        return 0;
    }
}

int socketCreate(BIO* bio) {
    BIO_set_data(bio, new SocketState{-1, false});
    BIO_set_init(bio, 1);
    return 1;
}

int socketDestroy(BIO* bio) {
    delete stateOf(bio);
    BIO_set_data(bio, nullptr);
    return 1;
}

const BIO_METHOD* socketMethod() {
    static BIO_METHOD* const method = [] {
        BIO_METHOD* made = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "rportd socket");
        if (made == nullptr) return made;
        BIO_meth_set_write(made, socketWrite);
        BIO_meth_set_read(made, socketRead);
        BIO_meth_set_puts(made, socketPuts);
        BIO_meth_set_ctrl(made, socketControl);
        BIO_meth_set_create(made, socketCreate);
        BIO_meth_set_destroy(made, socketDestroy);
        return made;
    }();
    return method;
}

}  // namespace

BIO* newSocketBio(int fd) {
    const BIO_METHOD* method = socketMethod();
    if (method == nullptr) return nullptr;
    BIO* bio = BIO_new(method);
    if (bio != nullptr) stateOf(bio)->fd = fd;
    return bio;
}

}  // namespace rportd::tls
