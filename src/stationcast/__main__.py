from stationcast.cli import main

main()
