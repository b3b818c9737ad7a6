package floorstack;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The second floor of bench/startup.sh: the technologies the design card pins Berth to, each used
 * once and nothing else: one JAX-RS resource, CDI (a bean-discovery-mode="annotated" archive), one
 * JPA entity through EclipseLink on Payara's embedded H2 (java:comp/DefaultDataSource), queried
 * once when the application starts. Its margin over the empty floor is what the stack costs; Berth's
 * margin over it is what Berth's own code costs.
 */
@ApplicationPath("/")
public class FloorApplication extends Application {
}
