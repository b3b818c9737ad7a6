package floor;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The floor of bench/startup.sh: a WAR with one JAX-RS resource and nothing else. */
@ApplicationPath("/")
public class FloorApplication extends Application {
}
