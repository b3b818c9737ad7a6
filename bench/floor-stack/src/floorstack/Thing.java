package floorstack;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** One table, made by EclipseLink's schema generation. */
@Entity
public class Thing {

    @Id
    long id;

    String name;
}
