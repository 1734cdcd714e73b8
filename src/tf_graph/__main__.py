from tf_graph.cli import main

main()
