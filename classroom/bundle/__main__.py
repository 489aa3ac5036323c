from classroom.bundle.build import main

main()
