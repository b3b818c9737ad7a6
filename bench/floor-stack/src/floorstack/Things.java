package floorstack;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** A CDI bean with a persistence context; counts the table once at start, as Berth reads its schema. */
@ApplicationScoped
public class Things {

    @PersistenceContext
    EntityManager em;

    private volatile long count = -1;

    void started(@Observes @Initialized(ApplicationScoped.class) Object event) {
        count = em.createQuery("select count(t) from Thing t", Long.class).getSingleResult();
    }

    String realm() {
        return "floor-stack " + count;
    }
}
