// rportd: the RPort server.
#include <Poco/Util/Application.h>

#include "app/RportdApp.h"
#include "app/SignalWaiter.h"

int main(int argc, char** argv) {
    // Before any thread exists, so every thread inherits the blocked set.
    rportd::app::blockServerSignals();
    rportd::app::RportdApp app;
    int rc = app.run(argc, argv);
    // Poco reports command-line errors (unknown option, missing argument) as
    // EXIT_CONFIG; rportd's contract is 1 for every start-up failure.
    return rc == Poco::Util::Application::EXIT_CONFIG ? rportd::app::RportdApp::kExitFailure : rc;
}
